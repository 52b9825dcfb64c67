#pragma once
// Precompiled header for the API library: the heavy Boost headers every handler needs.
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <spdlog/spdlog.h>
