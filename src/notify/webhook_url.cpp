#include "notify/webhook_url.hpp"

#include <arpa/inet.h>

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include <algorithm>
#include <array>
#include <cctype>

namespace lastmile::notify {
namespace {

using core::Error;

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

// Dotted-quad literal → its four octets; false when `host` is not one.
bool ipv4_octets(std::string_view host, std::array<int, 4>& out) {
  int part = 0;
  int value = -1;
  for (char c : host) {
    if (c == '.') {
      if (value < 0 || part == 3) return false;
      out[static_cast<size_t>(part++)] = value;
      value = -1;
    } else if (c >= '0' && c <= '9') {
      value = (value < 0 ? 0 : value * 10) + (c - '0');
      if (value > 255) return false;
    } else {
      return false;
    }
  }
  if (value < 0 || part != 3) return false;
  out[3] = value;
  return true;
}

bool private_v4(const std::array<int, 4>& o) {
  return o[0] == 127 || o[0] == 10 || o[0] == 0 || (o[0] == 169 && o[1] == 254) ||
         (o[0] == 172 && o[1] >= 16 && o[1] <= 31) || (o[0] == 192 && o[1] == 168) ||
         (o[0] == 100 && o[1] >= 64 && o[1] <= 127);
}

bool is_private_host(std::string_view host_in) {
  const std::string host = lower(host_in);
  if (host == "localhost" || host.ends_with(".localhost") || host.ends_with(".local")) return true;
  if (host.starts_with("[")) {  // IPv6 literal: loopback, unspecified, unique-local, link-local
    return host == "[::1]" || host == "[::]" || host.starts_with("[fc") || host.starts_with("[fd") ||
           host.starts_with("[fe80") || host.starts_with("[::ffff:");
  }
  std::array<int, 4> o{};
  return ipv4_octets(host, o) && private_v4(o);
}

}  // namespace

bool is_private_address(std::string_view ip_in) {
  const std::string ip(ip_in);
  std::array<int, 4> o{};
  if (ipv4_octets(ip, o)) return private_v4(o);
  unsigned char b[16];
  if (inet_pton(AF_INET6, ip.c_str(), b) != 1) return true;  // not an address: refuse
  const bool zero_prefix = std::all_of(b, b + 10, [](unsigned char x) { return x == 0; });
  if (zero_prefix && b[10] == 0xff && b[11] == 0xff) return private_v4({b[12], b[13], b[14], b[15]});  // ::ffff:v4
  if (zero_prefix && b[10] == 0 && b[11] == 0 && b[12] == 0 && b[13] == 0 && b[14] == 0 && b[15] <= 1)
    return true;  // :: and ::1
  if ((b[0] & 0xfe) == 0xfc) return true;                 // fc00::/7 unique local
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) return true;  // fe80::/10 link local
  return false;
}

core::Status check_webhook_url(std::string_view url, const UrlPolicy& policy, const std::string& field) {
  if (url.empty()) return Error::missing_field(field);
  if (url.size() > 2048) return Error::invalid_field(field, "url must be at most 2048 characters");
  auto parsed = boost::urls::parse_absolute_uri(url);
  if (!parsed) return Error::invalid_field(field, "url must be an absolute http:// or https:// URL");
  const std::string scheme = lower(parsed->scheme());
  if (scheme != "http" && scheme != "https")
    return Error::invalid_field(field, "url must use http or https");
  if (!parsed->has_authority() || parsed->encoded_host().empty())
    return Error::invalid_field(field, "url must name a host");
  if (parsed->has_userinfo()) return Error::invalid_field(field, "url must not contain credentials");
  if (parsed->has_fragment()) return Error::invalid_field(field, "url must not contain a fragment");
  if (!policy.allow_private && is_private_host(parsed->encoded_host()))
    return Error::invalid_field(field, "url must not point to a loopback or private address");
  return {};
}

}  // namespace lastmile::notify
