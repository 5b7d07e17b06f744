// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Names of argument codes and flags: see codes.h. */
#include "codes.h"

codes_t af_codes = {
	{ 0, "AF_UNSPEC" }, { 1, "AF_UNIX" }, { 2, "AF_INET" },
	{ 3, "AF_AX25" }, { 4, "AF_IPX" }, { 5, "AF_APPLETALK" },
	{ 6, "AF_NETROM" }, { 7, "AF_BRIDGE" }, { 8, "AF_ATMPVC" },
	{ 9, "AF_X25" }, { 10, "AF_INET6" }, { 11, "AF_ROSE" },
	{ 12, "AF_DECnet" }, { 13, "AF_NETBEUI" }, { 14, "AF_SECURITY" },
	{ 15, "AF_KEY" }, { 16, "AF_NETLINK" }, { 17, "AF_PACKET" },
	{ 18, "AF_ASH" }, { 19, "AF_ECONET" }, { 20, "AF_ATMSVC" },
	{ 21, "AF_RDS" }, { 22, "AF_SNA" }, { 23, "AF_IRDA" },
	{ 24, "AF_PPPOX" }, { 25, "AF_WANPIPE" }, { 26, "AF_LLC" },
	{ 27, "AF_IB" }, { 28, "AF_MPLS" }, { 29, "AF_CAN" },
	{ 30, "AF_TIPC" }, { 31, "AF_BLUETOOTH" }, { 32, "AF_IUCV" },
	{ 33, "AF_RXRPC" }, { 34, "AF_ISDN" }, { 35, "AF_PHONET" },
	{ 36, "AF_IEEE802154" }, { 37, "AF_CAIF" }, { 38, "AF_ALG" },
	{ 39, "AF_NFC" }, { 40, "AF_VSOCK" }, { 41, "AF_KCM" },
	{ 42, "AF_QIPCRTR" }, { 43, "AF_SMC" }, { 44, "AF_XDP" },
	{ 45, "AF_MCTP" }, { 0, NULL },
};

codes_t sock_type_codes = {
	{ 1, "SOCK_STREAM" }, { 2, "SOCK_DGRAM" }, { 3, "SOCK_RAW" },
	{ 4, "SOCK_RDM" }, { 5, "SOCK_SEQPACKET" }, { 6, "SOCK_DCCP" },
	{ 10, "SOCK_PACKET" }, { 0, NULL },
};

/* The flags a socket type may carry, which accept4() takes too. */
codes_t sock_flag_codes = {
	{ 04000, "SOCK_NONBLOCK" }, { 02000000, "SOCK_CLOEXEC" }, { 0, NULL },
};

codes_t ipproto_codes = {
	{ 0, "IPPROTO_IP" }, { 1, "IPPROTO_ICMP" }, { 2, "IPPROTO_IGMP" },
	{ 4, "IPPROTO_IPIP" }, { 6, "IPPROTO_TCP" }, { 8, "IPPROTO_EGP" },
	{ 12, "IPPROTO_PUP" }, { 17, "IPPROTO_UDP" }, { 22, "IPPROTO_IDP" },
	{ 29, "IPPROTO_TP" }, { 33, "IPPROTO_DCCP" }, { 41, "IPPROTO_IPV6" },
	{ 46, "IPPROTO_RSVP" }, { 47, "IPPROTO_GRE" }, { 50, "IPPROTO_ESP" },
	{ 51, "IPPROTO_AH" }, { 58, "IPPROTO_ICMPV6" }, { 92, "IPPROTO_MTP" },
	{ 94, "IPPROTO_BEETPH" }, { 98, "IPPROTO_ENCAP" },
	{ 103, "IPPROTO_PIM" }, { 108, "IPPROTO_COMP" },
	{ 115, "IPPROTO_L2TP" }, { 132, "IPPROTO_SCTP" },
	{ 136, "IPPROTO_UDPLITE" }, { 137, "IPPROTO_MPLS" },
	{ 143, "IPPROTO_ETHERNET" }, { 255, "IPPROTO_RAW" },
	{ 262, "IPPROTO_MPTCP" }, { 0, NULL },
};

/* Widest first: O_SYNC includes O_DSYNC, O_TMPFILE O_DIRECTORY. */
codes_t open_flag_codes = {
	{ 04010000, "O_SYNC" }, { 020200000, "O_TMPFILE" },
	{ 0100, "O_CREAT" }, { 0200, "O_EXCL" }, { 0400, "O_NOCTTY" },
	{ 01000, "O_TRUNC" }, { 02000, "O_APPEND" }, { 04000, "O_NONBLOCK" },
	{ 010000, "O_DSYNC" }, { 020000, "O_ASYNC" }, { 040000, "O_DIRECT" },
	{ 0100000, "O_LARGEFILE" }, { 0200000, "O_DIRECTORY" },
	{ 0400000, "O_NOFOLLOW" }, { 01000000, "O_NOATIME" },
	{ 02000000, "O_CLOEXEC" }, { 010000000, "O_PATH" }, { 0, NULL },
};

codes_t resolve_codes = {
	{ 0x01, "RESOLVE_NO_XDEV" }, { 0x02, "RESOLVE_NO_MAGICLINKS" },
	{ 0x04, "RESOLVE_NO_SYMLINKS" }, { 0x08, "RESOLVE_BENEATH" },
	{ 0x10, "RESOLVE_IN_ROOT" }, { 0x20, "RESOLVE_CACHED" }, { 0, NULL },
};

codes_t unlink_codes = { { 0x200, "AT_REMOVEDIR" }, { 0, NULL } };

codes_t rename_codes = {
	{ 1, "RENAME_NOREPLACE" }, { 2, "RENAME_EXCHANGE" },
	{ 4, "RENAME_WHITEOUT" }, { 0, NULL },
};

codes_t link_codes = {
	{ 0x400, "AT_SYMLINK_FOLLOW" }, { 0x1000, "AT_EMPTY_PATH" },
	{ 0, NULL },
};

codes_t epoll_op_codes = {
	{ 1, "EPOLL_CTL_ADD" }, { 2, "EPOLL_CTL_DEL" }, { 3, "EPOLL_CTL_MOD" },
	{ 0, NULL },
};

codes_t epoll_event_codes = {
	{ 0x1, "EPOLLIN" }, { 0x2, "EPOLLPRI" }, { 0x4, "EPOLLOUT" },
	{ 0x8, "EPOLLERR" }, { 0x10, "EPOLLHUP" }, { 0x20, "EPOLLNVAL" },
	{ 0x40, "EPOLLRDNORM" }, { 0x80, "EPOLLRDBAND" },
	{ 0x100, "EPOLLWRNORM" }, { 0x200, "EPOLLWRBAND" },
	{ 0x400, "EPOLLMSG" }, { 0x2000, "EPOLLRDHUP" },
	{ 1U << 28, "EPOLLEXCLUSIVE" }, { 1U << 29, "EPOLLWAKEUP" },
	{ 1U << 30, "EPOLLONESHOT" }, { 1U << 31, "EPOLLET" }, { 0, NULL },
};

codes_t fadvise_codes = {
	{ 0, "POSIX_FADV_NORMAL" }, { 1, "POSIX_FADV_RANDOM" },
	{ 2, "POSIX_FADV_SEQUENTIAL" }, { 3, "POSIX_FADV_WILLNEED" },
	{ 4, "POSIX_FADV_DONTNEED" }, { 5, "POSIX_FADV_NOREUSE" },
	{ 0, NULL },
};

codes_t madvise_codes = {
	{ 0, "MADV_NORMAL" }, { 1, "MADV_RANDOM" }, { 2, "MADV_SEQUENTIAL" },
	{ 3, "MADV_WILLNEED" }, { 4, "MADV_DONTNEED" }, { 8, "MADV_FREE" },
	{ 9, "MADV_REMOVE" }, { 10, "MADV_DONTFORK" }, { 11, "MADV_DOFORK" },
	{ 12, "MADV_MERGEABLE" }, { 13, "MADV_UNMERGEABLE" },
	{ 14, "MADV_HUGEPAGE" }, { 15, "MADV_NOHUGEPAGE" },
	{ 16, "MADV_DONTDUMP" }, { 17, "MADV_DODUMP" },
	{ 18, "MADV_WIPEONFORK" }, { 19, "MADV_KEEPONFORK" },
	{ 20, "MADV_COLD" }, { 21, "MADV_PAGEOUT" },
	{ 22, "MADV_POPULATE_READ" }, { 23, "MADV_POPULATE_WRITE" },
	{ 24, "MADV_DONTNEED_LOCKED" }, { 25, "MADV_COLLAPSE" },
	{ 100, "MADV_HWPOISON" }, { 101, "MADV_SOFT_OFFLINE" }, { 0, NULL },
};

codes_t falloc_codes = {
	{ 0x01, "FALLOC_FL_KEEP_SIZE" }, { 0x02, "FALLOC_FL_PUNCH_HOLE" },
	{ 0x04, "FALLOC_FL_NO_HIDE_STALE" },
	{ 0x08, "FALLOC_FL_COLLAPSE_RANGE" }, { 0x10, "FALLOC_FL_ZERO_RANGE" },
	{ 0x20, "FALLOC_FL_INSERT_RANGE" },
	{ 0x40, "FALLOC_FL_UNSHARE_RANGE" },
	{ 0x80, "FALLOC_FL_WRITE_ZEROES" }, { 0, NULL },
};

codes_t sync_range_codes = {
	{ 1, "SYNC_FILE_RANGE_WAIT_BEFORE" }, { 2, "SYNC_FILE_RANGE_WRITE" },
	{ 4, "SYNC_FILE_RANGE_WAIT_AFTER" }, { 0, NULL },
};

codes_t xattr_codes = {
	{ 1, "XATTR_CREATE" }, { 2, "XATTR_REPLACE" }, { 0, NULL },
};

codes_t splice_codes = {
	{ 1, "SPLICE_F_MOVE" }, { 2, "SPLICE_F_NONBLOCK" },
	{ 4, "SPLICE_F_MORE" }, { 8, "SPLICE_F_GIFT" },
	{ 1U << 31, "SPLICE_F_FD_IN_FIXED" }, { 0, NULL },
};

codes_t shut_codes = {
	{ 0, "SHUT_RD" }, { 1, "SHUT_WR" }, { 2, "SHUT_RDWR" }, { 0, NULL },
};

codes_t msg_codes = {
	{ 0x1, "MSG_OOB" }, { 0x2, "MSG_PEEK" }, { 0x4, "MSG_DONTROUTE" },
	{ 0x8, "MSG_CTRUNC" }, { 0x10, "MSG_PROXY" }, { 0x20, "MSG_TRUNC" },
	{ 0x40, "MSG_DONTWAIT" }, { 0x80, "MSG_EOR" },
	{ 0x100, "MSG_WAITALL" }, { 0x200, "MSG_FIN" }, { 0x400, "MSG_SYN" },
	{ 0x800, "MSG_CONFIRM" }, { 0x1000, "MSG_RST" },
	{ 0x2000, "MSG_ERRQUEUE" }, { 0x4000, "MSG_NOSIGNAL" },
	{ 0x8000, "MSG_MORE" }, { 0x10000, "MSG_WAITFORONE" },
	{ 0x40000, "MSG_BATCH" }, { 0x4000000, "MSG_ZEROCOPY" },
	{ 0x20000000, "MSG_FASTOPEN" }, { 0x40000000, "MSG_CMSG_CLOEXEC" },
	{ 0, NULL },
};

/* The commands of IORING_OP_URING_CMD on a socket. */
codes_t sock_cmd_codes = {
	{ 0, "SOCKET_URING_OP_SIOCINQ" }, { 1, "SOCKET_URING_OP_SIOCOUTQ" },
	{ 2, "SOCKET_URING_OP_GETSOCKOPT" },
	{ 3, "SOCKET_URING_OP_SETSOCKOPT" },
	{ 4, "SOCKET_URING_OP_TX_TIMESTAMP" },
	{ 5, "SOCKET_URING_OP_GETSOCKNAME" }, { 0, NULL },
};

/* Socket option levels: SOL_SOCKET, and the protocols' own. */
codes_t sol_codes = {
	{ 0, "SOL_IP" }, { 1, "SOL_SOCKET" }, { 6, "SOL_TCP" },
	{ 17, "SOL_UDP" }, { 41, "SOL_IPV6" }, { 255, "SOL_RAW" },
	{ 0, NULL },
};

codes_t msg_ring_cmd_codes = {
	{ 0, "IORING_MSG_DATA" }, { 1, "IORING_MSG_SEND_FD" }, { 0, NULL },
};

codes_t msg_ring_flag_codes = {
	{ 1, "IORING_MSG_RING_CQE_SKIP" }, { 2, "IORING_MSG_RING_FLAGS_PASS" },
	{ 0, NULL },
};

codes_t idtype_codes = {
	{ 0, "P_ALL" }, { 1, "P_PID" }, { 2, "P_PGID" }, { 3, "P_PIDFD" },
	{ 0, NULL },
};

codes_t wait_codes = {
	{ 0x1, "WNOHANG" }, { 0x2, "WSTOPPED" }, { 0x4, "WEXITED" },
	{ 0x8, "WCONTINUED" }, { 0x01000000, "WNOWAIT" },
	{ 0x20000000, "__WNOTHREAD" }, { 0x40000000, "__WALL" },
	{ 0x80000000, "__WCLONE" }, { 0, NULL },
};

/* What the kernel keeps of FIXED_FD_INSTALL's flags: the new fd's. */
codes_t fixed_install_codes = {
	{ 02000000, "O_CLOEXEC" }, { 0, NULL },
};

const char *code_name(const struct code_name *t, unsigned long long value)
{
	for (; t->name; t++)
		if (t->value == value)
			return t->name;
	return NULL;
}

void put_flag_names(struct line *l, const struct code_name *t,
		    unsigned long long value)
{
	unsigned long long left = value;
	bool first = true;

	for (; t->name; t++) {
		if (!t->value || (left & t->value) != t->value)
			continue;
		if (!first)
			LIT(l, "|");
		puts_(l, t->name);
		left &= ~t->value;
		first = false;
	}
	if (!left)
		return;
	if (!first)
		LIT(l, "|");
	put_hex(l, left);
}

void put_open_flags(struct line *l, unsigned long long flags)
{
	static const char *const access[] = {
		"O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE",
	};

	puts_(l, access[flags & 3]);
	if (flags & ~3ULL) {
		LIT(l, "|");
		put_flag_names(l, open_flag_codes, flags & ~3ULL);
	}
}

void put_sock_type(struct line *l, unsigned int type)
{
	const char *name = code_name(sock_type_codes, type & 0xf);

	if (name)
		puts_(l, name);
	else
		put_u64(l, type & 0xf);
	if (type & ~0xfU) {
		LIT(l, "|");
		put_flag_names(l, sock_flag_codes, type & ~0xfU);
	}
}
