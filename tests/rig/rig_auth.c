/*
 * rig_auth: makes the test rig's token logins fail the way Lakebase's do.
 *
 * The rig checks Databricks identities' tokens through PAM (pg_hba.conf `pam`, pam_exec on
 * tests/rig/checker). Stock PostgreSQL reports a failed PAM login as SQLSTATE 28000
 * "PAM authentication failed", while a rejected Lakebase OAuth token is a password failure:
 * SQLSTATE 28P01 (invalid_password) "password authentication failed for user ...", which is
 * what drivers key their "mint a fresh token and retry once" logic on. This module, loaded
 * with shared_preload_libraries by absolute path, uses ClientAuthentication_hook to report a
 * failed PAM login as that error before the server's own auth_failed() runs. Other methods
 * (scram-sha-256 for the native-password roles, hba rejects) are left untouched.
 *
 * Built by rig.py with the server headers (postgresql-server-dev-15).
 */
#include "postgres.h"

/*
 * libpq-be.h wants the GSSAPI headers (libkrb5-dev) when the server was built with GSSAPI.
 * We touch only Port.user_name and Port.hba; without ENABLE_GSS, Port.gss is declared as a
 * void pointer in the same place, so the struct layout is the same either way.
 */
#undef ENABLE_GSS

#include "fmgr.h"
#include "libpq/auth.h"
#include "libpq/hba.h"
#include "libpq/libpq-be.h"

PG_MODULE_MAGIC;

void _PG_init(void);

static ClientAuthentication_hook_type prev_client_auth_hook = NULL;

static void
rig_client_auth(Port *port, int status)
{
	if (prev_client_auth_hook)
		prev_client_auth_hook(port, status);

	/*
	 * STATUS_EOF (the client hung up at the password prompt, as psql does before it asks the
	 * user) stays silent, as in auth_failed().
	 */
	if (status == STATUS_ERROR && port->hba != NULL && port->hba->auth_method == uaPAM)
		ereport(FATAL,
				(errcode(ERRCODE_INVALID_PASSWORD),
				 errmsg("password authentication failed for user \"%s\"", port->user_name),
				 errdetail_log("Lakebase test rig: token rejected by the PAM checker "
							   "(wrong, expired, revoked or another user's token); "
							   "pg_hba.conf line %d",
							   port->hba->linenumber)));
}

void
_PG_init(void)
{
	prev_client_auth_hook = ClientAuthentication_hook;
	ClientAuthentication_hook = rig_client_auth;
}
