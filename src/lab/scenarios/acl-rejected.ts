/** @module acl-rejected: accept, then close at once, like tcp wrappers or an ACL. */
import type { Scenario } from "../types.js";

export const aclRejected: Scenario = {
  name: "acl-rejected",
  cause: "acl-rejected",
  summary:
    "accepts the TCP connection, then closes at once without serving (tcp wrappers, only_from, an ACL)",
  variants: {
    silent: "close with no byte sent (default, as tcpd does)",
    message: "say access is denied, then close",
  },
  telnet: false,
  handle(s, cfg, ctx) {
    const message =
      cfg.variant === "message"
        ? (cfg.message ?? "Access denied: your address is not allowed to connect.\n")
        : cfg.message;
    ctx.log(message ? "denied with a message" : "denied silently");
    s.close(message);
  },
};
