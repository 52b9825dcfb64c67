#include "app/osrm_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include <cstdio>
#include <optional>
#include <utility>

namespace lastmile::app {
namespace {

using map::Error;
using map::ErrorCode;
using map::RouteSource;

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;

constexpr size_t kMaxBodyBytes = 64 * 1024 * 1024;

Error io_error(const std::string& what) { return {ErrorCode::kIoError, "external router: " + what}; }

// "lon,lat" with OSRM's precision (1e-6 degree is about 0.1 m; we send 1e-7).
std::string lonlat(core::LatLon p) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.7f,%.7f", p.lon(), p.lat());
  return buf;
}

std::optional<double> number(const json::value* v) {
  if (v == nullptr) return std::nullopt;
  if (v->is_double()) return v->get_double();
  if (v->is_int64()) return static_cast<double>(v->get_int64());
  if (v->is_uint64()) return static_cast<double>(v->get_uint64());
  return std::nullopt;
}

std::optional<core::LatLon> location(const json::value& v) {
  const json::array* a = v.if_array();
  if (a == nullptr || a->size() != 2) return std::nullopt;
  const auto lon = number(&(*a)[0]), lat = number(&(*a)[1]);
  if (!lon || !lat) return std::nullopt;
  return core::LatLon::from_unsafe({*lat, *lon});
}

// The answer's JSON object, or the map error its OSRM code stands for.
Result<json::object> parse_answer(const std::string& body) {
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec || !v.is_object()) return io_error("answer is not a JSON object");
  json::object& o = v.as_object();
  const json::string* code = o.contains("code") ? o["code"].if_string() : nullptr;
  if (code == nullptr) return io_error("answer has no code");
  if (*code == "Ok") return std::move(o);
  std::string message;
  if (const json::string* m = o.contains("message") ? o["message"].if_string() : nullptr)
    message = m->c_str();
  const std::string what = std::string(code->c_str()) + (message.empty() ? "" : ": " + message);
  if (*code == "NoSegment") return Error{ErrorCode::kOutsideMap, "external router: " + what};
  if (*code == "NoRoute") return Error{ErrorCode::kNoRoute, "external router: " + what};
  return io_error(what);
}

// A row-major table of `rows` × `cols` numbers, null cells → kUnreachable.
bool read_table(const json::object& o, const char* key, size_t rows, size_t cols, std::vector<double>* out) {
  const json::value* t = o.if_contains(key);
  const json::array* a = t == nullptr ? nullptr : t->if_array();
  if (a == nullptr || a->size() != rows) return false;
  out->clear();
  out->reserve(rows * cols);
  for (const json::value& row : *a) {
    const json::array* r = row.if_array();
    if (r == nullptr || r->size() != cols) return false;
    for (const json::value& cell : *r) {
      if (cell.is_null()) {
        out->push_back(Matrix::kUnreachable);
        continue;
      }
      const auto n = number(&cell);
      if (!n) return false;
      out->push_back(*n);
    }
  }
  return true;
}

}  // namespace

Result<std::string> OsrmClient::get(const std::string& target) const {
  const OsrmEndpoint& ep = options_.endpoint;
  asio::io_context ioc;
  asio::ip::tcp::resolver resolver(ioc);
  beast::tcp_stream stream(ioc);
  http::request<http::empty_body> request{http::verb::get, target, 11};
  request.set(http::field::host, ep.host + ":" + std::to_string(ep.port));
  request.set(http::field::user_agent, "lastmile");
  request.set(http::field::accept, "application/json");
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(kMaxBodyBytes);
  beast::error_code failure;
  const char* stage = "resolve";
  bool done = false;

  // The stream's deadline covers connect, write and read; run_for bounds the resolver too.
  stream.expires_after(options_.timeout);
  resolver.async_resolve(
      ep.host, std::to_string(ep.port),
      [&](beast::error_code ec, const asio::ip::tcp::resolver::results_type& endpoints) {
        if (ec) {
          failure = ec;
          return;
        }
        stage = "connect";
        stream.async_connect(endpoints, [&](beast::error_code ec2, const asio::ip::tcp::endpoint&) {
          if (ec2) {
            failure = ec2;
            return;
          }
          stage = "send";
          http::async_write(stream, request, [&](beast::error_code ec3, size_t) {
            if (ec3) {
              failure = ec3;
              return;
            }
            stage = "read";
            http::async_read(stream, buffer, parser, [&](beast::error_code ec4, size_t) {
              failure = ec4;
              done = !ec4;
            });
          });
        });
      });
  ioc.run_for(options_.timeout + std::chrono::milliseconds(100));
  const std::string where = ep.host + ":" + std::to_string(ep.port);
  if (!done) {
    if (!failure || failure == beast::error::timeout) {
      return io_error(std::string("timeout after ") + std::to_string(options_.timeout.count()) + " ms (" +
                      stage + ") asking " + where);
    }
    return io_error(std::string(stage) + " " + where + ": " + failure.message());
  }
  beast::error_code ignored;
  stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  return std::move(parser.get().body());
}

Result<RouteAnswer> OsrmClient::route(core::LatLon from, core::LatLon to) const {
  auto body =
      get("/route/v1/driving/" + lonlat(from) + ";" + lonlat(to) + "?overview=full&geometries=geojson");
  if (!body) return body.error();
  auto answer = parse_answer(*body);
  if (!answer) return answer.error();
  const json::object& o = *answer;
  const json::value* routes = o.if_contains("routes");
  if (routes == nullptr || !routes->is_array() || routes->as_array().empty() ||
      !routes->as_array()[0].is_object()) {
    return io_error("route answer without routes");
  }
  const json::object& r = routes->as_array()[0].as_object();
  const auto duration = number(r.if_contains("duration")), distance = number(r.if_contains("distance"));
  if (!duration || !distance) return io_error("route without duration or distance");
  RouteAnswer a{RouteSource::kExternalOsrm, *duration, *distance, {}, from, to};
  if (const json::value* g = r.if_contains("geometry"); g != nullptr && g->is_object()) {
    if (const json::value* c = g->as_object().if_contains("coordinates"); c != nullptr && c->is_array()) {
      for (const json::value& p : c->as_array()) {
        if (const auto ll = location(p)) a.geometry.push_back(*ll);
      }
    }
  }
  if (const json::value* w = o.if_contains("waypoints");
      w != nullptr && w->is_array() && w->as_array().size() == 2) {
    const json::array& wa = w->as_array();
    for (size_t i = 0; i < 2; ++i) {
      if (!wa[i].is_object()) continue;
      const json::value* at = wa[i].as_object().if_contains("location");
      if (at == nullptr) continue;
      if (const auto ll = location(*at)) (i == 0 ? a.snapped_from : a.snapped_to) = *ll;
    }
  }
  return a;
}

Result<Matrix> OsrmClient::matrix(std::span<const core::LatLon> sources,
                                  std::span<const core::LatLon> destinations) const {
  Matrix m;
  m.sources = sources.size();
  m.destinations = destinations.size();
  if (sources.empty() || destinations.empty()) return m;
  std::string coords, source_index, destination_index;
  size_t i = 0;
  for (core::LatLon p : sources) {
    coords += (i == 0 ? "" : ";") + lonlat(p);
    source_index += (i == 0 ? "" : ";") + std::to_string(i);
    ++i;
  }
  for (core::LatLon p : destinations) {
    coords += ";" + lonlat(p);
    destination_index += (i == sources.size() ? "" : ";") + std::to_string(i);
    ++i;
  }
  auto body = get("/table/v1/driving/" + coords + "?sources=" + source_index +
                  "&destinations=" + destination_index + "&annotations=duration,distance");
  if (!body) return body.error();
  auto answer = parse_answer(*body);
  if (!answer) return answer.error();
  if (!read_table(*answer, "durations", m.sources, m.destinations, &m.duration_s) ||
      !read_table(*answer, "distances", m.sources, m.destinations, &m.distance_m)) {
    return io_error("table answer without durations and distances of the right size");
  }
  m.weight_s = m.duration_s;
  return m;
}

}  // namespace lastmile::app
