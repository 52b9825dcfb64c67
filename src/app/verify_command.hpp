#pragma once
// `lastmile verify`: offline integrity check of a database (docs/proof-of-delivery.md).

#include <iosfwd>
#include <string>

namespace lastmile::app {

struct VerifyOptions {
  std::string db;        // sqlite:PATH
  std::string blob_dir;  // empty: <dir of the database file>/blobs
};

// Prints the JSON report to `out`. Returns 0 when clean, 1 when a problem was found, 2 when the
// database cannot be read (the reason on `err`).
int verify_command(const VerifyOptions& options, std::ostream& out, std::ostream& err);

}  // namespace lastmile::app
