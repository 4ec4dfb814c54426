/**
 * @module The path lab's faults and addresses as data (what `teldoc lab --help` and `--list`
 * show), apart from the namespace machinery in netns.ts that applies them.
 */

export type PathFault =
  | "filtered"
  | "unreachable"
  | "local-firewall"
  | "middlebox-timeout"
  | "network-failure";

/** Every fault, what it does, and the cause teldoc should name for it. */
export const PATH_FAULTS: Readonly<Record<PathFault, { cause: string; summary: string }>> = {
  filtered: {
    cause: "filtered",
    summary: "the middlebox drops SYNs to the server port: connect times out",
  },
  unreachable: {
    cause: "unreachable",
    summary: "the middlebox answers everything to the server with ICMP host-unreachable",
  },
  "local-firewall": {
    cause: "local-firewall",
    summary: "an OUTPUT drop rule in the client's own firewall: the SYN never leaves",
  },
  "middlebox-timeout": {
    cause: "middlebox-timeout",
    summary:
      "the middlebox's conntrack forgets idle connections; later packets of a forgotten flow are dropped, new connections work",
  },
  "network-failure": {
    cause: "network-failure",
    summary: "the middlebox drops every packet in both directions (new connections too)",
  },
};

/** The port the lab server listens on in the server namespace (Telnet's own). */
export const PATH_SERVER_PORT = 23;

/** The fixed addresses of the topology. */
export const PATH_ADDRESSES = {
  client: "198.18.1.2",
  middleboxClientSide: "198.18.1.1",
  middleboxServerSide: "198.18.2.1",
  server: "198.18.2.2",
} as const;
