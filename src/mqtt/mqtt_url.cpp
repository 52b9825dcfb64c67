#include "mqtt/mqtt_url.hpp"

#include <boost/url/parse.hpp>

#include <charconv>

namespace lastmile::mqtt {
namespace {

core::Error invalid(std::string what) {
  return core::Error::invalid_field("mqtt", "--mqtt must be mqtt://[user:password@]HOST[:PORT]: " + what);
}

}  // namespace

core::Result<MqttUrl> parse_mqtt_url(std::string_view text) {
  // Parsed from a NUL-terminated copy (Boost.URL 1.81 may read past a view's end, boostorg/url#946).
  const std::string copy(text);
  auto parsed = boost::urls::parse_absolute_uri(copy);
  if (!parsed) return invalid("not a URL");
  const auto& u = *parsed;
  if (u.scheme() != "mqtt") return invalid("the scheme must be mqtt");
  if (!u.has_authority() || u.encoded_host().empty()) return invalid("no host");
  if (!u.encoded_path().empty() && u.encoded_path() != "/") return invalid("no path allowed");
  if (u.has_fragment()) return invalid("no fragment allowed");

  MqttUrl out;
  out.host = u.host();
  if (u.host_type() == boost::urls::host_type::ipv6) out.host = u.encoded_host_address().decode();
  if (u.has_port()) {
    const std::string_view port = u.port();
    int p = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
    if (ec != std::errc{} || end != port.data() + port.size() || p < 1 || p > 65535)
      return invalid("the port must be 1-65535");
    out.port = p;
  }
  if (u.has_userinfo()) {
    out.username = u.user();
    out.password = u.password();
    if (out.username.empty()) return invalid("empty user name");
  }
  for (auto param : u.params()) {
    if (param.key != "client_id" || param.value.empty())
      return invalid("the only query parameter is client_id");
    out.client_id = param.value;
  }
  return out;
}

std::string display_url(const MqttUrl& url) {
  std::string host = url.host.find(':') != std::string::npos ? "[" + url.host + "]" : url.host;
  return "mqtt://" + (url.username.empty() ? "" : url.username + "@") + host + ":" + std::to_string(url.port);
}

}  // namespace lastmile::mqtt
