#include "map/import_map.hpp"

#include <chrono>
#include <cstdio>

#include "map/address_file.hpp"
#include "map/contraction_hierarchy.hpp"
#include "map/graph_file.hpp"

namespace lastmile::map {

Result<ImportReport> import_map(const std::string& in, const std::string& out, Progress& progress) {
  const auto start = std::chrono::steady_clock::now();
  ImportReport report;
  GraphBuilder builder;
  AddressData addresses;
  auto read = read_osm(in, builder, progress, &addresses);
  if (!read) return read.error();
  report.read = *read;

  GraphData data = builder.build(&report.build);
  const BuildStats& b = report.build;
  progress.note("graph: " + std::to_string(b.nodes) + " nodes, " + std::to_string(b.edges) + " edges, " +
                std::to_string(b.names) + " names, " + std::to_string(b.restrictions_applied) +
                " turn restrictions (" + std::to_string(b.restrictions_unresolved) + " unresolved, " +
                std::to_string(report.read.restrictions_via_way) + " via-way skipped), " +
                std::to_string(b.small_component_edges) + " edges outside the main components");
  if (b.edges == 0) return Error{ErrorCode::kEmptyMap, in + ": no drivable road in the map"};

  const auto ch_start = std::chrono::steady_clock::now();
  report.shortcuts = build_contraction_hierarchy(Graph::borrow(data), &data);
  report.ch_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - ch_start).count();
  progress.note("contraction hierarchy: " + std::to_string(report.shortcuts) + " shortcuts in " +
                std::to_string(static_cast<int>(report.ch_seconds * 1000)) + " ms");

  auto written = write_graph(data, out);
  if (!written) return written.error();
  report.file_bytes = *written;
  auto check = Graph::open(out);
  if (!check) {
    std::remove(out.c_str());
    return check.error();
  }
  auto address_bytes = write_address_file(addresses, address_file_path(out));
  if (!address_bytes) {
    std::remove(out.c_str());
    return address_bytes.error();
  }
  progress.note("wrote " + address_file_path(out) + " (" + std::to_string(addresses.points.size()) +
                " addresses, " + std::to_string(*address_bytes) + " bytes)");
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  progress.note("wrote " + out + " (" + std::to_string(report.file_bytes) + " bytes) in " +
                std::to_string(static_cast<int>(report.seconds * 1000)) + " ms");
  return report;
}

int import_map_command(const std::string& in, const std::string& out) {
  Progress progress("import-map", Progress::mode_for(stderr));
  auto report = import_map(in, out, progress);
  if (!report) {
    std::fprintf(stderr, "import-map: error %s: %s\n", std::string(code_name(report.error().code)).c_str(),
                 report.error().message.c_str());
    return 1;
  }
  return 0;
}

}  // namespace lastmile::map
