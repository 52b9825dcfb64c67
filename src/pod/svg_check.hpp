#pragma once
// A conservative check of an SVG signature before it is stored and served back to browsers.
// Not a full XML parser: it refuses anything that could run script or fetch from elsewhere.
//
// kUnsupportedMediaType when the root element is not <svg>; kInvalidField (message names the
// reason) for unbalanced markup, a <script> or <foreignObject> element, an on*= event handler
// attribute, a "javascript:" URL, an external href, or a DOCTYPE/ENTITY declaration.

#include <string_view>

#include "core/error.hpp"

namespace lastmile::pod {

core::Status check_svg_signature(std::string_view svg);

}  // namespace lastmile::pod
