# Ruby's ruby-odbc (Debian's ruby-odbc, its UTF-8 flavour odbc_utf8) against
# a real node through unixODBC: run by tests/clients/run_client.py, which
# names the data source in DQ_DSN and the node in DQ_SERVER. On Debian 12
# ruby-odbc needs LD_PRELOAD=libodbc.so.2 to allocate an environment (the
# ctest command sets it; docs/clients.md). Prints TAP-style lines and exits 1
# when a check failed.
require 'odbc_utf8'

$n = 0
$failed = 0

def check(cond, what, details = nil)
  $n += 1
  if cond
    puts "ok #{$n} - #{what}"
  else
    $failed += 1
    puts "not ok #{$n} - #{what}"
    puts "#   #{details}" if details
  end
  cond
end

def check_same(got, want, what)
  check(got == want, what, "got: #{got.inspect}\n#   want: #{want.inspect}")
end

def run_case(name)
  puts "# #{name}"
  yield
rescue StandardError => e
  check(false, "#{name}: no unexpected exception", "#{e.class}: #{e.message}")
end

# One step of the client matrix (tests/clients/scenario.py): prints
# "step ruby_odbc NAME ok", or FAIL when a check in the block failed or it
# raised.
def step(name)
  before = $failed
  begin
    yield
  rescue StandardError => e
    check(false, "#{name}: no unexpected exception", "#{e.class}: #{e.message}")
  end
  if $failed == before
    puts "step ruby_odbc #{name} ok"
  else
    puts "step ruby_odbc #{name} FAIL #{$failed - before} check(s) failed"
  end
end

# The SQLSTATE ruby-odbc puts at the start of an ODBC::Error's message.
def sqlstate_of
  yield
  nil
rescue ODBC::Error => e
  e.message[/\A[0-9A-Z]{5}/]
end

DSN = ENV.fetch('DQ_DSN')
SERVER = ENV.fetch('DQ_SERVER')

def managed(db)
  db.autocommit = false # managed: the driver begins, commit/rollback end
  db
end

step('connect_dsn') do
  db = ODBC.connect(DSN)
  check_same(db.run('SELECT 40 + 2').fetch, [42], 'DSN: SELECT 40 + 2')
  db.disconnect
end

step('connect_string') do
  drv = ODBC::Driver.new
  drv.name = 'dqlite-by-string'
  drv.attrs['Driver'] = 'dqlite-test'
  drv.attrs['Server'] = SERVER
  drv.attrs['Database'] = 'ruby'
  db = ODBC::Database.new.drvconnect(drv)
  check_same(db.run('SELECT 40 + 2').fetch, [42], 'connection string: SELECT 40 + 2')
  db.disconnect
end

run_case('autocommit reads OFF; a bare write outside a transaction is 25000') do
  db = ODBC.connect(DSN)
  check_same(db.autocommit, false, 'autocommit reads false (dqlite has no autocommit)')
  check_same(sqlstate_of { db.do('CREATE TABLE never (i INTEGER)') }, '25000',
             'unmanaged: a write is refused before it is sent')
  db.disconnect
end

db = managed(ODBC.connect(DSN))
step('ddl') do
  db.do('CREATE TABLE v (id INTEGER PRIMARY KEY, t TEXT, n INTEGER, r REAL, ' \
        'b BLOB, d DATE, ts TIMESTAMP, f BOOLEAN)')
  db.commit
  check_same(db.run("SELECT count(*) FROM sqlite_master WHERE name = 'v'").fetch, [1], 'table v made')
  db.commit
end

text = "h\u00e9 \u20ac \u{1F600}"
step('params') do
  st = db.prepare('INSERT INTO v (id, t, n, r, d, ts, f) VALUES (?, ?, ?, ?, ?, ?, ?)')
  # ruby-odbc binds Integers only up to 2^62 - 1 (a Bignum is a TypeError in
  # ruby-odbc itself): 2^62 goes as text, which the INTEGER column stores as
  # an integer
  check_same((begin; st.execute(9, nil, 2**62, nil, nil, nil, nil); rescue TypeError; :type_error; end),
             :type_error, 'ruby-odbc refuses to bind 2**62 (its own limit)')
  # ruby-odbc binds no true / false (a TypeError in ruby-odbc): 1
  check_same((begin; st.execute(9, nil, nil, nil, nil, nil, true); rescue TypeError; :type_error; end),
             :type_error, 'ruby-odbc refuses to bind true (its own limit)')
  st.execute(1, text, (2**62).to_s, 1.5e-10, ODBC::Date.new(2026, 12, 3),
             ODBC::TimeStamp.new(2026, 12, 3, 10, 11, 12, 0), 1)
  st.drop
  db.commit
  row = db.run('SELECT t, n, r, typeof(n), typeof(r), typeof(f) FROM v WHERE id = 1').fetch
  check_same(row[0], text, 'non-BMP text round-trips')
  check_same(row[1], 2**62, '2^62 round-trips')
  check_same(row[2], 1.5e-10, '1.5e-10 round-trips')
  check_same(row[3..5], %w[integer real integer], 'stored as INTEGER, REAL, INTEGER')
  row = db.run('SELECT d, ts, f FROM v WHERE id = 1').fetch
  check_same(row[0].class, ODBC::Date, 'DATE reads back as ODBC::Date')
  check_same(row[0].to_s, '2026-12-03', 'DATE reads back')
  check_same(row[1].class, ODBC::TimeStamp, 'TIMESTAMP reads back as ODBC::TimeStamp')
  check_same([row[1].year, row[1].month, row[1].day, row[1].hour, row[1].minute, row[1].second,
              row[1].fraction], [2026, 12, 3, 10, 11, 12, 0], "TIMESTAMP reads back (#{row[1]})")
  check_same(row[2], 1, 'BOOLEAN reads back as 1 (ruby-odbc reads SQL_BIT as an Integer)')
  db.commit
end

step('nulls') do
  st = db.prepare('INSERT INTO v (id, t, n, r, b, d, ts, f) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
  st.execute(2, nil, nil, nil, nil, nil, nil, nil)
  st.drop
  db.commit
  # a released server (1.11) sends NULL in a BOOLEAN column as BOOLEAN(0):
  # it reads 0 (docs/types.md); typeof() shows the NULL that is stored
  check_same(db.run('SELECT t, n, r, b, d, ts FROM v WHERE id = 2').fetch, [nil] * 6,
             'NULL in every column')
  check_same(db.run("SELECT typeof(t) || typeof(n) || typeof(r) || typeof(b) || typeof(d) || " \
                    "typeof(ts) || typeof(f) FROM v WHERE id = 2").fetch, ['null' * 7],
             'every column, the BOOLEAN one too, holds NULL')
  db.commit
end

step('blob_1mb') do
  blob = (0...(1 << 20)).map { |i| (i * 7 + 1) & 0xff }.pack('C*')
  # odbc_utf8 converts every String parameter to UTF-8 (bytes that are not
  # UTF-8 are an Encoding error in Ruby): the bytes go as hex text, which
  # ODBC converts to binary for the BLOB column's marker
  st = db.prepare('UPDATE v SET b = ? WHERE id = 1')
  st.execute(blob.unpack1('H*'))
  st.drop
  db.commit
  row = db.run('SELECT typeof(b), length(b), b FROM v WHERE id = 1').fetch
  check_same(row[0..1], ['blob', 1 << 20], 'stored as a 1 MiB BLOB')
  check(row[2].b == blob, 'every byte reads back', "#{row[2].bytesize} bytes, #{row[2].encoding}")
  db.commit
end
db.disconnect

step('bulk_10000') do
  db = managed(ODBC.connect(DSN))
  db.do('CREATE TABLE bulk (id INTEGER PRIMARY KEY, s TEXT)')
  st = db.prepare('INSERT INTO bulk VALUES (?, ?)')
  t0 = Time.now
  (1..10_000).each { |i| st.execute(i, "row #{i}") }
  st.drop
  db.commit
  dt = Time.now - t0
  puts format('bulk: ruby_odbc 10000 rows in %.2f s (%d rows/s)', dt, 10_000 / dt)
  check_same(db.run('SELECT count(*), sum(id) FROM bulk').fetch, [10_000, 50_005_000],
             '10,000 rows committed')
  db.commit
  db.disconnect
end

db = managed(ODBC.connect(DSN))
step('tables') do
  names = db.tables.fetch_all.map { |r| r[2] }
  check(names.include?('v'), 'db.tables lists v', names.inspect)
  db.commit
end

step('columns') do
  cols = db.columns('v').fetch_all.map { |r| [r[3], r[5]] }
  check_same(cols, [%w[id INTEGER], %w[t TEXT], %w[n INTEGER], %w[r REAL], %w[b BLOB],
                    %w[d DATE], %w[ts TIMESTAMP], %w[f BOOLEAN]], 'db.columns: names and type names')
  db.commit
end
db.disconnect

db = managed(ODBC.connect(DSN))
step('syntax_error') do
  check_same(sqlstate_of { db.run('SELEC 1') }, '42000', 'syntax error: 42000')
  db.rollback
end

step('duplicate_key') do
  db.do('CREATE TABLE k (id INTEGER PRIMARY KEY)')
  db.do('INSERT INTO k VALUES (1)')
  check_same(sqlstate_of { db.do('INSERT INTO k VALUES (1)') }, '23000', 'duplicate key: 23000')
  db.rollback
end
db.disconnect

step('rollback') do
  db = managed(ODBC.connect(DSN))
  db.do('CREATE TABLE rb (i INTEGER)')
  db.commit
  db.do('INSERT INTO rb VALUES (1)')
  db.rollback
  check_same(db.run('SELECT count(*) FROM rb').fetch, [0], 'rolled back')
  db.do('INSERT INTO rb VALUES (2)')
  db.commit
  check_same(db.run('SELECT sum(i) FROM rb').fetch, [2], 'committed')
  check_same(sqlstate_of { db.do('BEGIN') }, '25000', 'raw BEGIN inside the managed transaction')
  db.rollback
  db.disconnect
end

step('tx_idiom') do
  db = managed(ODBC.connect(DSN))
  db.do('CREATE TABLE tx (i INTEGER)')
  db.commit
  db.transaction { |d| d.do('INSERT INTO tx VALUES (1)') }
  begin
    db.transaction do |d|
      d.do('INSERT INTO tx VALUES (2)')
      raise 'boom'
    end
  rescue RuntimeError
    nil
  end
  check_same(db.run('SELECT group_concat(i) FROM tx').fetch, ['1'], 'only the block that returned is kept')
  db.commit
  db.disconnect
end

puts "#{$n - $failed} passed, #{$failed} failed"
exit($failed.zero? ? 0 : 1)
