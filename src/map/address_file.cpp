#include "map/address_file.hpp"

#include "map/atomic_file.hpp"

#include <charconv>
#include <fstream>
#include <string_view>
#include <vector>

namespace lastmile::map {
namespace {

constexpr std::string_view kHeaderPrefix = "lastmile-addresses ";
constexpr std::string_view kVersion = "1";

std::string clean(const std::string& s) {
  std::string out = s;
  for (char& c : out) {
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  }
  return out;
}

std::vector<std::string_view> fields(std::string_view line) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (true) {
    const size_t j = line.find('\t', i);
    out.push_back(line.substr(i, j == std::string_view::npos ? std::string_view::npos : j - i));
    if (j == std::string_view::npos) return out;
    i = j + 1;
  }
}

template <typename T>
bool number(std::string_view s, T& out) {
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

bool coord(std::string_view lat, std::string_view lon, NodeCoord& out) {
  return number(lat, out.lat_e7) && number(lon, out.lon_e7) && out.lat_e7 >= -900'000'000 &&
         out.lat_e7 <= 900'000'000 && out.lon_e7 >= -1'800'000'000 && out.lon_e7 <= 1'800'000'000;
}

}  // namespace

std::string address_file_path(const std::string& graph_path) { return graph_path + ".addresses"; }

Result<uint64_t> write_address_file(const AddressData& data, const std::string& path) {
  return write_file_atomically(path, [&](std::ostream& out) {
    out << kHeaderPrefix << kVersion << '\n';
    for (const AddressPoint& p : data.points) {
      out << "A\t" << clean(p.house_number) << '\t' << clean(p.street) << '\t' << clean(p.postcode) << '\t'
          << clean(p.city) << '\t' << p.at.lat_e7 << '\t' << p.at.lon_e7 << '\n';
    }
    for (const NamedStreet& s : data.streets) {
      out << "S\t" << clean(s.name) << '\t' << s.at.lat_e7 << '\t' << s.at.lon_e7 << '\n';
    }
    out << "end " << data.points.size() << ' ' << data.streets.size() << '\n';
  });
}

Result<AddressData> read_address_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{ErrorCode::kFileNotFound, "cannot open " + path};
  std::string line;
  if (!std::getline(in, line) || !line.starts_with(kHeaderPrefix)) {
    return Error{ErrorCode::kNotAGraph, path + " is not a lastmile address file"};
  }
  if (std::string_view(line).substr(kHeaderPrefix.size()) != kVersion) {
    return Error{ErrorCode::kUnsupportedVersion, path + ": unsupported address file version"};
  }
  AddressData data;
  size_t line_no = 1;
  auto corrupt = [&](std::string_view why) {
    return Error{ErrorCode::kCorrupt, path + ":" + std::to_string(line_no) + ": " + std::string(why)};
  };
  while (std::getline(in, line)) {
    ++line_no;
    if (line.starts_with("end ")) {
      size_t points = 0, streets = 0;
      const std::string_view rest = std::string_view(line).substr(4);
      const size_t space = rest.find(' ');
      if (space == std::string_view::npos || !number(rest.substr(0, space), points) ||
          !number(rest.substr(space + 1), streets)) {
        return corrupt("malformed end line");
      }
      if (points != data.points.size() || streets != data.streets.size()) return corrupt("counts do not match");
      if (std::getline(in, line)) return corrupt("data after the end line");
      return data;
    }
    const std::vector<std::string_view> f = fields(line);
    if (f[0] == "A" && f.size() == 7) {
      AddressPoint p{std::string(f[1]), std::string(f[2]), std::string(f[3]), std::string(f[4]), {}};
      if (!coord(f[5], f[6], p.at)) return corrupt("bad coordinate");
      data.points.push_back(std::move(p));
    } else if (f[0] == "S" && f.size() == 4) {
      NamedStreet s{std::string(f[1]), {}};
      if (!coord(f[2], f[3], s.at)) return corrupt("bad coordinate");
      data.streets.push_back(std::move(s));
    } else {
      return corrupt("malformed line");
    }
  }
  if (in.bad()) return Error{ErrorCode::kIoError, "cannot read " + path};
  return corrupt("no end line (cut file?)");
}

}  // namespace lastmile::map
