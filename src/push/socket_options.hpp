#pragma once
// Socket settings the live sessions share.

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/system/error_code.hpp>

#include <chrono>

namespace lastmile::push {

// Linux TCP_USER_TIMEOUT: the connection is aborted when sent data stays unacknowledged this long,
// so a client that vanished (no FIN, no RST) does not keep its session until TCP gives up (~15 min).
inline void set_tcp_user_timeout(boost::asio::ip::tcp::socket& socket, std::chrono::milliseconds timeout) {
  using user_timeout = boost::asio::detail::socket_option::integer<IPPROTO_TCP, TCP_USER_TIMEOUT>;
  boost::system::error_code ignored;  // best effort: not every platform has it
  socket.set_option(user_timeout(static_cast<int>(timeout.count())), ignored);
}

}  // namespace lastmile::push
