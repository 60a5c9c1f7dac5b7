#include "simulators/devices/web/web_browser.hpp"

#include "protocol/entra/oauth_form.hpp"

namespace mdmlab::simulators::web {
namespace asio = boost::asio;

namespace {
constexpr int kMaxRedirects = 10;

std::string unescape(std::string s) {
  const std::pair<const char*, const char*> entities[] = {
      {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}, {"&amp;", "&"}};
  for (const auto& [from, to] : entities)
    for (auto pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + 1))
      s.replace(pos, std::string_view(from).size(), to);
  return s;
}

// The value of attribute `name` in a tag's text ("" when absent); quotes " or '.
std::string attribute(const std::string& tag, const std::string& name) {
  for (std::size_t pos = 0; (pos = tag.find(name + "=", pos)) != std::string::npos; ++pos) {
    if (pos > 0 && tag[pos - 1] != ' ' && tag[pos - 1] != '\t' && tag[pos - 1] != '\n') continue;
    auto start = pos + name.size() + 1;
    if (start >= tag.size()) return {};
    const char quote = tag[start];
    if (quote != '"' && quote != '\'') return {};
    auto end = tag.find(quote, start + 1);
    if (end == std::string::npos) return {};
    return unescape(tag.substr(start + 1, end - start - 1));
  }
  return {};
}

std::string resolve(const net::Url& base, const std::string& location) {
  if (location.find("://") != std::string::npos) return location;
  if (!location.empty() && location[0] == '/') return base.origin() + location;
  auto dir = base.target.substr(0, base.target.rfind('/') + 1);
  return base.origin() + dir + location;
}

net::HttpClientOptions options_for(const net::Url& url, const net::HttpClientOptions& server,
                                   const std::string& server_origin, const WebSignIn* sign_in) {
  if (url.origin() == server_origin) return server;
  auto o = server;  // same transcript; the IdP's trust
  o.tls = net::TlsClientConfig{};
  if (sign_in) o.tls->trusted_roots = sign_in->idp_roots;
  return o;
}
}  // namespace

std::string HtmlForm::field(const std::string& name) const {
  for (const auto& [n, v] : hidden)
    if (n == name) return v;
  return {};
}

Result<HtmlForm> parse_sign_in_page(const std::string& html) {
  HtmlForm f;
  auto form_at = html.find("<form");
  if (form_at == std::string::npos) return make_error("web_sign_in", "the page has no form");
  auto form_tag = html.substr(form_at, html.find('>', form_at) - form_at);
  f.action = attribute(form_tag, "action");
  auto method = attribute(form_tag, "method");
  if (!method.empty()) f.method = method;
  auto form_end = html.find("</form>", form_at);
  for (auto pos = html.find("<input", form_at); pos != std::string::npos && pos < form_end;
       pos = html.find("<input", pos + 1)) {
    auto tag = html.substr(pos, html.find('>', pos) - pos);
    if (attribute(tag, "type") == "hidden")
      f.hidden.emplace_back(attribute(tag, "name"), attribute(tag, "value"));
  }
  if (auto e = html.find("id=\"error\""); e != std::string::npos) {
    auto start = html.find('>', e) + 1;
    f.error = unescape(html.substr(start, html.find('<', start) - start));
  }
  return f;
}

asio::awaitable<Result<WebEnd>> browse(asio::any_io_executor executor, WebFlow flow) {
  auto start = net::Url::parse(flow.start_url);
  if (!start) co_return start.error();
  const auto server_origin = start->origin();
  const auto* sign_in = flow.sign_in;
  std::string url_text = flow.start_url;
  std::string method = "GET", body;
  bool signed_in = false;
  for (int hop = 0; hop < kMaxRedirects; ++hop) {
    auto url = net::Url::parse(url_text);
    if (!url) co_return url.error();
    net::HttpClient http(executor, url->origin(),
                         options_for(*url, flow.server_options, server_origin, sign_in));
    net::HttpRequest req;
    req.method = method;
    req.target = url->target;
    if (url->origin() == server_origin)
      for (const auto& h : flow.server_headers) req.headers.push_back(h);
    if (method == "POST") {
      req.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
      req.body = body;
    }
    auto sending = http.send(std::move(req));
    auto res = co_await std::move(sending);
    if (!res) co_return res.error();
    method = "GET";
    body.clear();
    if (res->status == 301 || res->status == 302 || res->status == 303) {
      auto location = res->header("Location");
      if (location.empty()) co_return make_error("web_sign_in", "a redirect without Location");
      url_text = resolve(*url, location);
      continue;
    }
    if (res->status != 200)
      co_return make_error(flow.error_prefix + "_web_page", url->origin() + " answered " +
                                                                std::to_string(res->status) + ": " +
                                                                res->body.substr(0, 200));
    const auto type = res->header("Content-Type");
    if (type.rfind("text/html", 0) != 0) co_return WebEnd{type, std::move(res->body), {}};
    auto form = parse_sign_in_page(res->body);
    if (!form) co_return form.error();
    // The end of a broker flow: a form for the app, not for the web.
    if (form->action.find("://") != std::string::npos && form->action.rfind("https://", 0) != 0 &&
        form->action.rfind("http://", 0) != 0)
      co_return WebEnd{type, std::move(res->body), std::move(*form)};
    // A sign-in page: fill it once; shown again means the credentials were refused.
    if (signed_in)
      co_return make_error(flow.error_prefix + "_sign_in_failed",
                           form->error.empty() ? "the sign-in page came back" : form->error);
    if (!sign_in || sign_in->username.empty())
      co_return make_error(flow.error_prefix + "_sign_in_required",
                           "the server asks for a sign-in and no account was given");
    entra::FormParams fields(form->hidden.begin(), form->hidden.end());
    fields["login"] = sign_in->username;
    fields["passwd"] = sign_in->password;
    url_text = resolve(*url, form->action.empty() ? url->target : form->action);
    method = form->method == "post" || form->method == "POST" ? "POST" : "GET";
    if (method == "POST")
      body = entra::encode_form(fields);
    else
      url_text +=
          (url_text.find('?') == std::string::npos ? "?" : "&") + entra::encode_form(fields);
    signed_in = true;
  }
  co_return make_error("web_sign_in", "too many redirects");
}

}  // namespace mdmlab::simulators::web
