//! Socket uring_cmds (`SOCKET_URING_OP_*`).
//!
//! Mirrors: `io_uring/cmd_net.c` (`io_uring_cmd_sock`), wired into sockets' `file_operations`
//! by `net/socket.c`. Sockets are added with the ring core's file table.
