/* SPDX-License-Identifier: BSD-2-Clause */
/* A tunnel with one session.  See single.h. */
#include "session/single.h"

#include "base/util.h"

void single_conf_default(struct single_conf *conf, enum ppp_role role)
{
	tunnel_conf_default(&conf->tunnel, role);
	session_conf_default(&conf->session, role);
}

const struct session_reason *single_reason(const struct single *sg,
					   struct session_reason *buf)
{
	if (sg->call_taken)
		return session_reason(&sg->session);
	if (sg->refused_result)
		session_reason_set(buf, SESSION_R_CALL_REFUSED, sg->tunnel.conf->role, 0,
				   "OCRQ refused: result=%u error=%u", (unsigned)sg->refused_result,
				   (unsigned)sg->refused_error);
	else
		tunnel_reason(&sg->tunnel, buf);
	return buf;
}

/* ---- the tunnel's ops ---------------------------------------------------------- */

static int sg_ctrl_write(void *ctx, const uint8_t *p, size_t len)
{
	struct single *sg = ctx;

	return sg->ops->ctrl_write(sg->ctx, p, len);
}

static void sg_tunnel_closed(void *ctx, struct tunnel *t, const struct session_reason *why,
			     uint64_t now)
{
	struct single *sg = ctx;
	struct session_reason buf;

	if (sg->closed_told)
		return;
	sg->closed_told = true;
	sg->ops->closed(sg->ctx, sg, single_reason(sg, &buf), now);
}

static struct session *sg_session_new(void *ctx, struct tunnel *t,
				      const struct pptp_ctrl_msg *ocrq, uint64_t now,
				      uint8_t *result, uint8_t *error)
{
	struct single *sg = ctx;

	if (sg->call_taken)
		return NULL;		/* one call: General Error / No-Resource */
	if (sg->ops->call_admit && sg->ops->call_admit(sg->ctx, sg, result, error) < 0) {
		if (!sg->refused_result) {
			sg->refused_result = *result;
			sg->refused_error = *error;
		}
		return NULL;
	}
	sg->call_taken = true;
	return &sg->session;
}

static const struct tunnel_ops single_tunnel_ops = {
	.ctrl_write = sg_ctrl_write,
	.closed = sg_tunnel_closed,
	.session_new = sg_session_new,
};

/* ---- the session's ops ---------------------------------------------------------- */

static void sg_gre_xmit(void *ctx, const uint8_t *pkt, size_t len)
{
	struct single *sg = ctx;

	sg->ops->gre_xmit(sg->ctx, pkt, len);
}

static void sg_deliver(void *ctx, uint16_t protocol, const uint8_t *p, size_t len,
		       uint64_t now)
{
	struct single *sg = ctx;

	sg->ops->deliver(sg->ctx, protocol, p, len, now);
}

static void sg_up(void *ctx, struct session *s, uint64_t now)
{
	struct single *sg = ctx;

	if (sg->ops->up)
		sg->ops->up(sg->ctx, sg, now);
}

static void sg_session_closed(void *ctx, struct session *s, const struct session_reason *why,
			      uint64_t now)
{
	/* the tunnel follows: it stops (client) or lingers (server); closed() then */
}

static void sg_random(void *ctx, uint8_t *out, size_t len)
{
	struct single *sg = ctx;

	sg->ops->random(sg->ctx, out, len);
}

static enum auth_lookup sg_lookup(void *ctx, enum auth_method method, const uint8_t *user,
				  size_t user_len, struct auth_cred *cred)
{
	struct single *sg = ctx;

	if (!sg->ops->lookup)
		return AUTH_LOOKUP_ERROR;
	return sg->ops->lookup(sg->ctx, method, user, user_len, cred);
}

static bool sg_ip_assign(void *ctx, uint32_t *addr)
{
	struct single *sg = ctx;

	return sg->ops->ip_assign && sg->ops->ip_assign(sg->ctx, addr);
}

static const struct session_ops single_session_ops = {
	.gre_xmit = sg_gre_xmit,
	.deliver = sg_deliver,
	.up = sg_up,
	.closed = sg_session_closed,
	.random = sg_random,
	.lookup = sg_lookup,
	.ip_assign = sg_ip_assign,
};

/* ---- API ------------------------------------------------------------------------- */

int single_init(struct single *sg, const struct single_conf *conf,
		const struct single_ops *ops, void *ctx, struct timer_wheel *wheel,
		const struct log_sink *log, uint32_t id, uint32_t peer_addr)
{
	sg->ops = ops;
	sg->ctx = ctx;
	sg->call_taken = false;
	sg->closed_told = false;
	sg->refused_result = 0;
	sg->refused_error = 0;
	if (!ops || !ops->ctrl_write || !ops->closed ||
	    conf->tunnel.role != conf->session.role ||
	    tunnel_init(&sg->tunnel, &conf->tunnel, &single_tunnel_ops, sg, wheel, log, id,
			peer_addr) < 0)
		return -1;
	if (session_init(&sg->session, &conf->session, &single_session_ops, sg, wheel, log,
			 id) < 0) {
		tunnel_fini(&sg->tunnel);
		return -1;
	}
	return 0;
}

void single_fini(struct single *sg)
{
	session_fini(&sg->session);
	tunnel_fini(&sg->tunnel);
}

int single_connect(struct single *sg, uint64_t now)
{
	if (tunnel_state(&sg->tunnel) != TUNNEL_IDLE || session_call(&sg->tunnel, &sg->session,
								      now) < 0)
		return -1;
	sg->call_taken = true;
	return tunnel_connect(&sg->tunnel, now);
}

int single_accept(struct single *sg, uint64_t now)
{
	return tunnel_accept(&sg->tunnel, now);
}

void single_tcp_failed(struct single *sg, uint64_t now, const char *why)
{
	tunnel_tcp_failed(&sg->tunnel, now, why);
}

int single_ctrl_input(struct single *sg, const uint8_t *p, size_t len, uint64_t now)
{
	return tunnel_ctrl_input(&sg->tunnel, p, len, now);
}

void single_tcp_closed(struct single *sg, uint64_t now)
{
	tunnel_tcp_closed(&sg->tunnel, now);
}

void single_hangup(struct single *sg, uint64_t now)
{
	tunnel_stop(&sg->tunnel, now);
}
