#!/usr/bin/env python3
# Writes the seed inputs of fuzz_machine (see the input layout in
# fuzz_machine.c) into the directory given: python3 fuzz/make_machine_seeds.py fuzz/corpus/machine
import struct, os, sys
out = sys.argv[1]
def pad8(b): return b + b'\0' * ((8 - len(b) % 8) % 8)
def text(s): return pad8(s.encode() + b'\0')
def frame(t, body, schema=0): assert len(body) % 8 == 0; return struct.pack('<IBBH', len(body)//8, t, schema, 0) + body
def ev(kind, words=0): return struct.pack('<IBBH', words, kind, 0, 0xffff)
STALL, LOSS, OVERSIZED, CANCEL, WFAIL = 0, 1, 2, 3, 4
def rows(first, n, more, cols=('n',)):
    b = struct.pack('<Q', len(cols)) + b''.join(text(c) for c in cols)
    for i in range(n):
        b += pad8(bytes([1])) + struct.pack('<q', first + i)  # one INTEGER column
    return frame(7, b + (b'\xee' if more else b'\xff') * 8)
def endless(): return frame(7, struct.pack('<Q', 1) + text('n') + b'\xee' * 8)
def result(a, b): return frame(6, struct.pack('<QQ', a, b))
def failure(code, msg): return frame(0, struct.pack('<Q', code) + text(msg))
def empty(): return frame(8, b'\0' * 8)
def stmt(): return frame(5, struct.pack('<IIQ', 1, 2, 1))
def op(kind, arg=0): return (arg << 4) | kind
Q, NEXT, ALL, CLOSE, EXEC, PREP, PIPE, PART, RECV, CANC, SCOPE, FLUSH, RECO, DET = 0, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
def seed(name, ops, caps, stream):
    data = bytes([len(ops) - 1]) + bytes(ops) + bytes([caps]) + stream
    open(os.path.join(out, name), 'wb').write(data)
seed('stream', [Q, op(ALL), EXEC], 0, rows(0, 3, 1) + rows(3, 3, 0) + result(1, 1))
seed('buffer', [Q, op(NEXT, 4), EXEC, op(ALL)], 0, rows(0, 3, 1) + rows(3, 3, 1) + rows(6, 2, 0) + result(1, 1))
seed('abandon', [Q, op(NEXT), op(CLOSE), PREP], 0, rows(0, 3, 1) + rows(3, 3, 0) + empty() + stmt())
seed('caps_pages', [Q, op(ALL), EXEC, op(Q, 1), op(NEXT, 1), EXEC], 0x20,
     rows(0, 2, 1) + rows(2, 2, 1) + rows(4, 2, 1) + rows(6, 2, 0) + empty() + result(1, 1) +
     rows(0, 2, 1) + rows(2, 2, 1) + rows(4, 2, 1) + rows(6, 2, 0) + empty() + result(2, 1))
seed('pipeline', [op(PIPE, 2), op(PIPE, 2)], 0,
     result(1, 1) + failure(19, 'constraint failed') + result(3, 1) + result(4, 1) + ev(STALL, 0))
seed('pipeline_partial', [op(PART, 2), EXEC, RECV, RECV, EXEC], 0,
     result(1, 1) + ev(STALL, 1) + result(2, 1) + result(3, 1) + result(4, 1))
seed('cancel', [Q, op(NEXT), CANC, op(ALL), SCOPE, EXEC, EXEC, SCOPE, EXEC], 0,
     rows(0, 2, 1) + rows(2, 2, 1) + rows(4, 2, 0) + empty() + result(1, 1) +
     ev(CANCEL) + result(2, 1) + ev(CANCEL) + ev(STALL, 0))
seed('cancel_buffering', [Q, EXEC, SCOPE, EXEC], 0,
     rows(0, 2, 1) + ev(CANCEL) + rows(2, 2, 1) + rows(4, 2, 0) + empty() + result(1, 1) + result(2, 1))
seed('stall', [EXEC, Q, op(ALL), EXEC], 0,
     ev(STALL, 1) + result(1, 1) + rows(0, 2, 1) + ev(STALL, 1) + rows(2, 2, 0) + ev(STALL, 0))
seed('endless', [Q, RECO, Q, op(ALL), RECO, Q, EXEC], 0,
     endless() + rows(0, 2, 1) + endless() + rows(0, 1, 1) + endless())
seed('loss', [Q, op(ALL), RECO, EXEC, op(Q, 1), EXEC], 0,
     rows(0, 3, 1) + ev(LOSS) + result(1, 1) + rows(0, 3, 1) + ev(OVERSIZED))
seed('failure_mid', [Q, op(ALL), EXEC, Q, op(CLOSE)], 0,
     rows(0, 3, 1) + failure(1, 'boom') + result(1, 1) + rows(0, 1, 1) + failure(9, 'interrupted') + empty())
seed('write_fail', [EXEC, RECO, EXEC, DET, RECO, EXEC], 0,
     ev(WFAIL, 0) + result(1, 1) + result(2, 1) + result(3, 1))
seed('caps_rows', [Q, op(ALL), EXEC, op(Q, 1), op(NEXT, 1), EXEC], 0x04,
     rows(0, 2, 1) + rows(2, 2, 1) + rows(4, 2, 1) + rows(6, 2, 0) + empty() + result(1, 1) +
     rows(0, 2, 1) + rows(2, 2, 1) + rows(4, 2, 1) + rows(6, 2, 0) + empty() + result(2, 1))
