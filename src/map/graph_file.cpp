#include "map/graph_file.hpp"

#include "map/atomic_file.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <type_traits>

namespace lastmile::map {
namespace {

static_assert(std::endian::native == std::endian::little, "the graph file format is little-endian");

constexpr char kMagic[8] = {'L', 'M', 'G', 'R', 'A', 'P', 'H', '\0'};
constexpr size_t kHeaderSize = 64;
constexpr size_t kSectionEntrySize = 24;

enum SectionKind : uint32_t {
  kNodes = 1,
  kOsmIds = 2,
  kFirstOut = 3,
  kEdges = 4,
  kRestrictions = 5,
  kNameOffsets = 6,
  kNameChars = 7,
  kChRank = 8,
  kChUpFirst = 9,
  kChUp = 10,
  kChDownFirst = 11,
  kChDown = 12,
  kChSelfLoop = 13,
  kChSelfLoopMiddle = 14,
};
constexpr uint32_t kSectionCount = 14;

struct SectionEntry {
  uint32_t kind;
  uint32_t element_size;
  uint64_t offset;
  uint64_t count;
};
static_assert(sizeof(SectionEntry) == kSectionEntrySize);

struct Header {
  char magic[8];
  uint32_t version;
  uint32_t section_count;
  uint64_t file_size;
  uint64_t checksum;
  unsigned char reserved[32];
};
static_assert(sizeof(Header) == kHeaderSize);

uint64_t align8(uint64_t n) { return (n + 7) & ~uint64_t{7}; }

Error corrupt(const std::string& path, const std::string& what) {
  return {ErrorCode::kCorrupt, path + ": corrupt graph file (" + what + ")"};
}

// The mapping of a whole file; unmapped when the last Graph copy goes.
struct Mapping {
  void* address = nullptr;
  size_t size = 0;
  ~Mapping() {
    if (address != nullptr) munmap(address, size);
  }
};

template <typename T>
bool take_section(const unsigned char* base, const SectionEntry& s, std::span<const T>* out) {
  if (s.element_size != sizeof(T)) return false;
  *out = {reinterpret_cast<const T*>(base + s.offset), static_cast<size_t>(s.count)};
  return true;
}

// The GraphData invariants (graph.hpp), so that a well-formed but wrong file cannot make the
// router index out of bounds.
bool structure_valid(std::span<const NodeCoord> nodes, std::span<const int64_t> ids,
                     std::span<const uint32_t> first_out, std::span<const Edge> edges,
                     std::span<const TurnRestriction> restrictions, std::span<const uint32_t> name_offsets,
                     std::string_view chars, std::string* what) {
  if (ids.size() != nodes.size()) return *what = "node id count", false;
  for (const NodeCoord& c : nodes) {
    if (c.lat_e7 < -900'000'000 || c.lat_e7 > 900'000'000 || c.lon_e7 < -1'800'000'000 ||
        c.lon_e7 > 1'800'000'000) {
      return *what = "coordinate out of range", false;
    }
  }
  if (first_out.size() != nodes.size() + 1 || first_out.front() != 0 || first_out.back() != edges.size()) {
    return *what = "first_out", false;
  }
  for (size_t n = 0; n < nodes.size(); ++n) {
    if (first_out[n] > first_out[n + 1]) return *what = "first_out order", false;
  }
  for (size_t n = 0; n < nodes.size(); ++n) {  // every entry is now <= edges.size()
    for (uint32_t e = first_out[n]; e < first_out[n + 1]; ++e) {
      if (edges[e].source != n) return *what = "edge source", false;
    }
  }
  const size_t names = name_offsets.empty() ? 0 : name_offsets.size() - 1;
  for (size_t i = 0; i < edges.size(); ++i) {
    const Edge& e = edges[i];
    if (e.target >= nodes.size() || e.name >= std::max<size_t>(names, 1) ||
        (e.flags & ~(kEdgeInSmallComponent | kEdgeRoadClassMask)) != 0 ||
        static_cast<size_t>(edge_road_class(e)) >= kRoadClassCount || !std::isfinite(e.length_m) ||
        e.length_m < 0) {
      return *what = "edge fields", false;
    }
    if (e.twin != kNoEdge && (e.twin >= edges.size() || edges[e.twin].twin != i ||
                              edges[e.twin].source != e.target || edges[e.twin].target != e.source)) {
      return *what = "edge twin", false;
    }
  }
  for (size_t i = 0; i < restrictions.size(); ++i) {
    const TurnRestriction& r = restrictions[i];
    if (r.from_edge >= edges.size() || r.to_edge >= edges.size() ||
        (r.kind != RestrictionKind::kNo && r.kind != RestrictionKind::kOnly) ||
        (i > 0 && restrictions[i - 1].from_edge > r.from_edge)) {
      return *what = "turn restriction", false;
    }
  }
  if (name_offsets.empty() || name_offsets.front() != 0 || name_offsets.back() != chars.size()) {
    return *what = "name table", false;
  }
  for (size_t i = 1; i < name_offsets.size(); ++i) {
    if (name_offsets[i - 1] > name_offsets[i]) return *what = "name order", false;
  }
  return true;
}

// The contraction hierarchy's invariants (contraction_hierarchy.hpp): absent entirely, or sized
// per edge with every arc pointing up in rank and every middle below both ends, so that searches
// and unpacking stay in bounds and terminate.
bool hierarchy_valid(const Graph& g, std::string* what) {
  const size_t n = g.edge_count();
  const auto rank = g.ch_rank();
  if (rank.empty()) {
    if (!g.ch_up_first().empty() || !g.ch_up().empty() || !g.ch_down_first().empty() || !g.ch_down().empty() ||
        !g.ch_self_loop().empty() || !g.ch_self_loop_middle().empty()) {
      return *what = "partial hierarchy", false;
    }
    return true;
  }
  if (rank.size() != n || g.ch_self_loop().size() != n || g.ch_self_loop_middle().size() != n) {
    return *what = "hierarchy size", false;
  }
  auto arcs_valid = [&](std::span<const uint32_t> first, std::span<const ChArc> arcs) {
    if (first.size() != n + 1 || first.front() != 0 || first.back() != arcs.size()) return false;
    for (size_t v = 0; v < n; ++v) {
      if (first[v] > first[v + 1]) return false;
    }
    for (size_t v = 0; v < n; ++v) {
      for (uint32_t i = first[v]; i < first[v + 1]; ++i) {
        const ChArc& a = arcs[i];
        if (a.other >= n || rank[a.other] <= rank[v]) return false;
        if (a.middle != kNoEdge && (a.middle >= n || rank[a.middle] >= rank[v])) return false;
      }
    }
    return true;
  };
  if (!arcs_valid(g.ch_up_first(), g.ch_up()) || !arcs_valid(g.ch_down_first(), g.ch_down())) {
    return *what = "hierarchy arcs", false;
  }
  for (size_t v = 0; v < n; ++v) {
    const uint32_t m = g.ch_self_loop_middle()[v];
    if ((m == kNoEdge) != (g.ch_self_loop()[v] == kNoEdge) || (m != kNoEdge && (m >= n || rank[m] >= rank[v]))) {
      return *what = "hierarchy self loop", false;
    }
  }
  return true;
}

}  // namespace

uint64_t checksum64(std::span<const unsigned char> bytes) {
  constexpr uint64_t kPrime = 0x100000001b3ULL;
  uint64_t h = 0xcbf29ce484222325ULL;
  size_t i = 0;
  for (; i + 8 <= bytes.size(); i += 8) {
    uint64_t word;
    std::memcpy(&word, bytes.data() + i, 8);
    h = (h ^ word) * kPrime;
  }
  for (; i < bytes.size(); ++i) h = (h ^ bytes[i]) * kPrime;
  return h;
}

Result<uint64_t> write_graph(const GraphData& data, const std::string& path) {
  struct Blob {
    uint32_t kind;
    uint32_t element_size;
    const void* data;
    uint64_t count;
  };
  const Blob blobs[kSectionCount] = {
      {kNodes, sizeof(NodeCoord), data.nodes.data(), data.nodes.size()},
      {kOsmIds, sizeof(int64_t), data.osm_node_ids.data(), data.osm_node_ids.size()},
      {kFirstOut, sizeof(uint32_t), data.first_out.data(), data.first_out.size()},
      {kEdges, sizeof(Edge), data.edges.data(), data.edges.size()},
      {kRestrictions, sizeof(TurnRestriction), data.restrictions.data(), data.restrictions.size()},
      {kNameOffsets, sizeof(uint32_t), data.name_offsets.data(), data.name_offsets.size()},
      {kNameChars, 1, data.name_chars.data(), data.name_chars.size()},
      {kChRank, sizeof(uint32_t), data.ch_rank.data(), data.ch_rank.size()},
      {kChUpFirst, sizeof(uint32_t), data.ch_up_first.data(), data.ch_up_first.size()},
      {kChUp, sizeof(ChArc), data.ch_up.data(), data.ch_up.size()},
      {kChDownFirst, sizeof(uint32_t), data.ch_down_first.data(), data.ch_down_first.size()},
      {kChDown, sizeof(ChArc), data.ch_down.data(), data.ch_down.size()},
      {kChSelfLoop, sizeof(uint32_t), data.ch_self_loop.data(), data.ch_self_loop.size()},
      {kChSelfLoopMiddle, sizeof(uint32_t), data.ch_self_loop_middle.data(), data.ch_self_loop_middle.size()},
  };
  std::vector<unsigned char> file(align8(kHeaderSize + kSectionCount * kSectionEntrySize), 0);
  SectionEntry entries[kSectionCount];
  for (uint32_t i = 0; i < kSectionCount; ++i) {
    const Blob& b = blobs[i];
    const uint64_t bytes = b.count * b.element_size;
    entries[i] = {b.kind, b.element_size, file.size(), b.count};
    const auto* p = static_cast<const unsigned char*>(b.data);
    if (bytes > 0) file.insert(file.end(), p, p + bytes);
    file.resize(align8(file.size()), 0);
  }
  std::memcpy(file.data() + kHeaderSize, entries, sizeof(entries));
  Header header{};
  std::memcpy(header.magic, kMagic, sizeof(kMagic));
  header.version = kGraphFormatVersion;
  header.section_count = kSectionCount;
  header.file_size = file.size();
  header.checksum = checksum64(std::span(file).subspan(kHeaderSize));
  std::memcpy(file.data(), &header, sizeof(header));

  return write_file_atomically(path, [&](std::ostream& out) {
    out.write(reinterpret_cast<const char*>(file.data()), static_cast<std::streamsize>(file.size()));
  });
}

Result<Graph> Graph::open(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    const ErrorCode code = (err == ENOENT || err == ENOTDIR) ? ErrorCode::kFileNotFound : ErrorCode::kIoError;
    return Error{code, "cannot open " + path + ": " + std::strerror(err)};
  }
  struct stat st {};
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return Error{ErrorCode::kIoError, path + ": not a regular file"};
  }
  const auto size = static_cast<uint64_t>(st.st_size);
  if (size < sizeof(kMagic)) {
    ::close(fd);
    return Error{ErrorCode::kTruncated, path + ": truncated graph file (" + std::to_string(size) + " bytes)"};
  }
  void* address = mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);
  if (address == MAP_FAILED) return Error{ErrorCode::kIoError, "cannot map " + path + ": " + std::strerror(errno)};
  auto mapping = std::make_shared<Mapping>();
  mapping->address = address;
  mapping->size = size;
  const auto* base = static_cast<const unsigned char*>(address);

  if (std::memcmp(base, kMagic, sizeof(kMagic)) != 0) {
    return Error{ErrorCode::kNotAGraph, path + ": not a lastmile graph file (run `lastmile import-map`)"};
  }
  if (size < kHeaderSize) return Error{ErrorCode::kTruncated, path + ": truncated graph file (header)"};
  Header header;
  std::memcpy(&header, base, sizeof(header));
  if (header.version != kGraphFormatVersion) {
    return Error{ErrorCode::kUnsupportedVersion, path + ": graph format version " + std::to_string(header.version) +
                                                     ", this build reads version " +
                                                     std::to_string(kGraphFormatVersion) + " (re-run import-map)"};
  }
  if (size < header.file_size) {
    return Error{ErrorCode::kTruncated, path + ": truncated graph file (" + std::to_string(size) + " of " +
                                            std::to_string(header.file_size) + " bytes)"};
  }
  if (size > header.file_size) return corrupt(path, "trailing bytes");
  if (checksum64({base + kHeaderSize, size - kHeaderSize}) != header.checksum) return corrupt(path, "checksum");
  if (header.section_count != kSectionCount || kHeaderSize + kSectionCount * kSectionEntrySize > size) {
    return corrupt(path, "section table");
  }

  Graph g;
  bool seen[kSectionCount + 1] = {};
  for (uint32_t i = 0; i < kSectionCount; ++i) {
    SectionEntry s;
    std::memcpy(&s, base + kHeaderSize + i * kSectionEntrySize, sizeof(s));
    if (s.kind < 1 || s.kind > kSectionCount || seen[s.kind] || s.offset % 8 != 0 || s.offset > size ||
        s.element_size == 0 || s.count > (size - s.offset) / s.element_size) {
      return corrupt(path, "section " + std::to_string(i));
    }
    seen[s.kind] = true;
    bool ok = true;
    switch (s.kind) {
      case kNodes: ok = take_section(base, s, &g.nodes_); break;
      case kOsmIds: ok = take_section(base, s, &g.osm_node_ids_); break;
      case kFirstOut: ok = take_section(base, s, &g.first_out_); break;
      case kEdges: ok = take_section(base, s, &g.edges_); break;
      case kRestrictions: ok = take_section(base, s, &g.restrictions_); break;
      case kNameOffsets: ok = take_section(base, s, &g.name_offsets_); break;
      case kNameChars: {
        std::span<const char> chars;
        ok = take_section(base, s, &chars);
        g.name_chars_ = {chars.data(), chars.size()};
        break;
      }
      case kChRank: ok = take_section(base, s, &g.ch_rank_); break;
      case kChUpFirst: ok = take_section(base, s, &g.ch_up_first_); break;
      case kChUp: ok = take_section(base, s, &g.ch_up_); break;
      case kChDownFirst: ok = take_section(base, s, &g.ch_down_first_); break;
      case kChDown: ok = take_section(base, s, &g.ch_down_); break;
      case kChSelfLoop: ok = take_section(base, s, &g.ch_self_loop_); break;
      case kChSelfLoopMiddle: ok = take_section(base, s, &g.ch_self_loop_middle_); break;
    }
    if (!ok) return corrupt(path, "element size of section " + std::to_string(s.kind));
  }
  std::string what;
  if (!structure_valid(g.nodes_, g.osm_node_ids_, g.first_out_, g.edges_, g.restrictions_, g.name_offsets_,
                       g.name_chars_, &what)) {
    return corrupt(path, what);
  }
  if (!hierarchy_valid(g, &what)) return corrupt(path, what);
  g.storage_ = std::move(mapping);
  return g;
}

}  // namespace lastmile::map
