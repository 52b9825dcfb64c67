#pragma once
// The pieces every libcurl client here shares (webhooks, SMS, SMTP): global initialisation once, owning
// handles, a bounded answer collector and the common options (timeouts, no signals, POST body).

#include <curl/curl.h>

#include <memory>
#include <string>
#include <string_view>

namespace lastmile::notify::curl {

struct EasyDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct ListDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
using Easy = std::unique_ptr<CURL, EasyDeleter>;

// A header (or recipient) list that frees itself.
class List {
 public:
  List& add(const std::string& line) {
    if (curl_slist* head = curl_slist_append(list_.get(), line.c_str())) {  // null (out of memory): list unchanged
      list_.release();
      list_.reset(head);
    }
    return *this;
  }
  curl_slist* get() const { return list_.get(); }

 private:
  std::unique_ptr<curl_slist, ListDeleter> list_;
};

// Runs curl_global_init once per process, then returns a fresh handle (null if libcurl could not make one).
Easy make_easy();

// Keeps at most `limit` bytes of the answer in `*out`, reading (and dropping) the rest so the peer sees a
// complete exchange. `sink` must outlive the transfer.
struct Sink {
  std::string* out;
  size_t limit;
};
void collect_answer(CURL* c, Sink* sink);

// No signals (threads), connect and total timeouts.
void set_timeouts(CURL* c, long connect_ms, long total_ms);

// POST `body` (not copied: it must outlive the transfer).
void set_post_body(CURL* c, std::string_view body);

// The HTTP status of the finished transfer, 0 when none was received.
int response_code(CURL* c);

}  // namespace lastmile::notify::curl
