/*
 * cluster.h -- finding the leader (internal to src/).
 *
 * The configured addresses are a bootstrap list: each is asked in turn for
 * the leader (LEADER request), and the link ends up connected to the node
 * that both is named leader and names itself leader. One deadline bounds the
 * whole walk; each address gets a fair share of what is left, so a silent
 * first address cannot use up the time of the others.
 */
#ifndef DQE_CLUSTER_H
#define DQE_CLUSTER_H

#include <stddef.h>

#include "link.h"
#include "machine.h"

/* Connects `link` to the leader and attaches it to `m`, within m->wait.
 * Returns 0; or DQC_ECONNECT / DQC_ETLS / DQC_ETIMEDOUT / DQC_ECANCELED with
 * m's error naming every address tried and why. */
int dqe_cluster_connect(dqe_link *link, dqe_machine *m,
			char *const *addresses, size_t n,
			const struct dqc_tls_config *tls);

#endif /* DQE_CLUSTER_H */
