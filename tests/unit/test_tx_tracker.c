/*
 * The transaction and savepoint tracker (driver/tx_tracker.c), server-free:
 * it is fed what the server did and must agree with the server after every
 * statement, loss and reset.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "tx_tracker.h"

static void run(dq_tx *tx, const char *sql)
{
	dqc_sql_info info;
	dqc_sql_classify(sql, strlen(sql), &info);
	dq_tx_after(tx, sql, &info);
}

static const struct {
	const char *sql;
	const char *name; /* NULL: untrackable */
} names[] = {
	{"SAVEPOINT sp_1", "sp_1"},
	{"savepoint My_SP", "my_sp"},
	{"RELEASE sp_1", "sp_1"},
	{"RELEASE SAVEPOINT sp_1", "sp_1"},
	{"ROLLBACK TO sp_1", "sp_1"},
	{"ROLLBACK TRANSACTION TO SAVEPOINT sp_1", "sp_1"},
	{"SAVEPOINT _x9", "_x9"},
	{"SAVEPOINT \"quoted\"", NULL},
	{"SAVEPOINT `tick`", NULL},
	{"SAVEPOINT [br]", NULL},
	{"SAVEPOINT 'str'", NULL},
	{"SAVEPOINT sp_é", NULL},
	{"SAVEPOINT sp$1", NULL},
	{"SAVEPOINT 1sp", NULL},
	{"SAVEPOINT aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", NULL},
	{"SAVEPOINT aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},
};

Test(tx_tracker, savepoint_names_tracked_only_when_bare_ascii)
{
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		dqc_sql_info in;
		char out[DQ_TX_NAME_MAX + 1];
		dqc_sql_classify(names[i].sql, strlen(names[i].sql), &in);
		int ok = dq_tx_savepoint_name(names[i].sql, &in, out);
		if (names[i].name) {
			cr_assert(ok, "%s", names[i].sql);
			cr_assert_str_eq(out, names[i].name);
		} else {
			cr_assert_not(ok, "%s gave '%s'", names[i].sql, out);
		}
	}
}

Test(tx_tracker, begin_commit_rollback_follow_the_server)
{
	dq_tx tx;
	memset(&tx, 0, sizeof tx);
	dq_tx_began(&tx, 1);
	cr_assert(tx.open && tx.implicit && tx.stmts == 0);
	run(&tx, "SELECT 1");
	cr_assert_eq(tx.stmts, 1);
	cr_assert_not(tx.has_writes);
	run(&tx, "INSERT INTO t VALUES (1)");
	cr_assert(tx.has_writes);
	cr_assert(dq_tx_needs_rollback(&tx));
	run(&tx, "COMMIT");
	cr_assert_not(tx.open);
	cr_assert_not(tx.has_writes);
	cr_assert_not(dq_tx_needs_rollback(&tx));
	run(&tx, "BEGIN");
	cr_assert(tx.open);
	cr_assert_not(tx.implicit, "the application's own BEGIN");
	run(&tx, "END TRANSACTION");
	cr_assert_not(tx.open);
	run(&tx, "BEGIN IMMEDIATE");
	run(&tx, "ROLLBACK");
	cr_assert_not(tx.open);
}

Test(tx_tracker, savepoints_stack_release_and_rollback_to)
{
	dq_tx tx;
	memset(&tx, 0, sizeof tx);
	dq_tx_began(&tx, 1);
	run(&tx, "SAVEPOINT a");
	run(&tx, "SAVEPOINT b");
	run(&tx, "SAVEPOINT c");
	cr_assert_eq(tx.n_savepoints, 3);
	run(&tx, "ROLLBACK TO b"); /* b stays, c goes */
	cr_assert_eq(tx.n_savepoints, 2);
	cr_assert_str_eq(tx.savepoints[1], "b");
	run(&tx, "RELEASE A"); /* case-insensitive; a and everything inside */
	cr_assert_eq(tx.n_savepoints, 0);
	cr_assert(tx.open, "RELEASE inside BEGIN keeps the transaction");
	cr_assert_not(tx.untracked);
}

Test(tx_tracker, untracked_names_are_sticky_for_the_connection)
{
	dq_tx tx;
	memset(&tx, 0, sizeof tx);
	dq_tx_began(&tx, 1);
	run(&tx, "SAVEPOINT \"weird name\"");
	cr_assert(tx.untracked);
	run(&tx, "RELEASE \"weird name\"");
	run(&tx, "COMMIT");
	cr_assert_not(tx.open);
	cr_assert(tx.untracked, "a reset still pays one safety ROLLBACK");
	cr_assert(dq_tx_needs_rollback(&tx));
	/* releasing a name never seen is untracked too */
	memset(&tx, 0, sizeof tx);
	dq_tx_began(&tx, 1);
	run(&tx, "RELEASE never_seen");
	cr_assert(tx.untracked);
}

Test(tx_tracker, savepoint_outside_a_transaction_begins_one_and_release_commits)
{
	dq_tx tx;
	memset(&tx, 0, sizeof tx);
	run(&tx, "SAVEPOINT outer_sp");
	cr_assert(tx.open && tx.by_savepoint);
	run(&tx, "INSERT INTO t VALUES (1)");
	cr_assert(tx.has_writes);
	run(&tx, "RELEASE outer_sp"); /* SQLite: commits */
	cr_assert_not(tx.open);
}

Test(tx_tracker, too_many_savepoints_become_untracked)
{
	dq_tx tx;
	char sql[32];
	memset(&tx, 0, sizeof tx);
	dq_tx_began(&tx, 1);
	for (int i = 0; i < DQ_TX_MAX_SAVEPOINTS; i++) {
		snprintf(sql, sizeof sql, "SAVEPOINT s%d", i);
		run(&tx, sql);
	}
	cr_assert_eq(tx.n_savepoints, DQ_TX_MAX_SAVEPOINTS);
	cr_assert_not(tx.untracked);
	run(&tx, "SAVEPOINT one_more");
	cr_assert(tx.untracked);
}

Test(tx_tracker, a_dropped_transaction_is_lost_only_when_it_had_work)
{
	dq_tx tx;
	memset(&tx, 0, sizeof tx);
	/* the driver's own BEGIN alone: nothing lost, a retry is safe */
	dq_tx_began(&tx, 1);
	dq_tx_dropped(&tx);
	cr_assert_not(tx.open);
	cr_assert_not(tx.lost);
	/* a statement ran in it: lost until rolled back */
	dq_tx_began(&tx, 1);
	run(&tx, "SELECT 1");
	dq_tx_dropped(&tx);
	cr_assert(tx.lost);
	cr_assert_not(tx.open);
	/* found dead again before the rollback: still lost */
	dq_tx_dropped(&tx);
	cr_assert(tx.lost);
	dq_tx_ended(&tx);
	cr_assert_not(tx.lost);
	/* the application's own BEGIN cannot be redone for it */
	run(&tx, "BEGIN");
	dq_tx_dropped(&tx);
	cr_assert(tx.lost);
}
