#include <cmath>
#include <cstring>
#include <set>

#include "protocol/plist/binary.hpp"
#include "protocol/plist/utf8.hpp"
#include "protocol/plist/xml.hpp"

namespace mdmlab::plist {
namespace {
constexpr int kMaxDepth = 128;
constexpr std::int64_t kAppleEpoch = 978307200;  // 2001-01-01T00:00:00Z in Unix seconds

Error bad(const std::string& why) {
  return make_error("bad_plist", "binary plist: " + why);
}

class BinaryReader {
 public:
  explicit BinaryReader(std::string_view b) : b_(b) {}

  Result<Value> read() {
    if (b_.size() < kBinaryMagic.size() + 32 || b_.substr(0, 8) != kBinaryMagic)
      return bad("no bplist00 header");
    const std::size_t t = b_.size() - 32;  // the trailer
    offset_size_ = byte(t + 6);
    ref_size_ = byte(t + 7);
    auto objects = be(t + 8, 8);
    auto top = be(t + 16, 8);
    auto table = be(t + 24, 8);
    if (offset_size_ < 1 || offset_size_ > 8 || ref_size_ < 1 || ref_size_ > 8)
      return bad("bad trailer sizes");
    if (objects == 0 || top >= objects) return bad("bad object count or top object");
    if (table < 8 || table >= t || objects > (t - table) / offset_size_)
      return bad("offset table out of bounds");
    objects_ = objects;
    table_ = table;
    end_of_objects_ = table;
    return object(top, 0);
  }

 private:
  std::uint8_t byte(std::size_t at) const { return static_cast<std::uint8_t>(b_[at]); }
  // Big-endian unsigned of n bytes at `at`; the caller has checked the bounds.
  std::uint64_t be(std::size_t at, std::size_t n) const {
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < n; ++i) v = (v << 8) | byte(at + i);
    return v;
  }
  bool fits(std::size_t at, std::uint64_t n) const {
    return at <= end_of_objects_ && n <= end_of_objects_ - at;
  }

  Result<std::size_t> offset_of(std::uint64_t ref) const {
    if (ref >= objects_) return bad("object reference out of range");
    auto off = be(table_ + ref * offset_size_, offset_size_);
    if (off < 8 || off >= end_of_objects_) return bad("object offset out of bounds");
    return static_cast<std::size_t>(off);
  }

  // Length of a data/string/array/dict: the marker's low nibble, or an int object after it.
  Result<std::uint64_t> length(std::size_t& at, std::uint8_t info) const {
    if (info != 0x0F) return info;
    if (!fits(at, 1)) return bad("truncated length");
    auto marker = byte(at);
    if ((marker & 0xF0) != 0x10 || (marker & 0x0F) > 3) return bad("bad length marker");
    std::size_t n = std::size_t{1} << (marker & 0x0F);
    if (!fits(at + 1, n)) return bad("truncated length");
    auto v = be(at + 1, n);
    at += 1 + n;
    return v;
  }

  Result<std::string> text(std::size_t at, std::uint8_t type, std::uint64_t count) const {
    std::string out;
    if (type == 0x5) {
      if (!fits(at, count)) return bad("truncated string");
      out.assign(b_.substr(at, count));
      for (unsigned char c : out)
        if (c >= 0x80) return bad("non-ASCII byte in an ASCII string");
    } else {
      if (count > (end_of_objects_ - std::min(at, end_of_objects_)) / 2 || !fits(at, count * 2))
        return bad("truncated UTF-16 string");
      for (std::uint64_t i = 0; i < count; ++i) {
        std::uint32_t u = static_cast<std::uint32_t>(be(at + 2 * i, 2));
        if (u >= 0xD800 && u <= 0xDBFF) {
          if (i + 1 >= count) return bad("lone surrogate");
          std::uint32_t lo = static_cast<std::uint32_t>(be(at + 2 * (i + 1), 2));
          if (lo < 0xDC00 || lo > 0xDFFF) return bad("lone surrogate");
          u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
          ++i;
        } else if (u >= 0xDC00 && u <= 0xDFFF) {
          return bad("lone surrogate");
        }
        if (u < 0x80) {
          out += static_cast<char>(u);
        } else if (u < 0x800) {
          out += static_cast<char>(0xC0 | (u >> 6));
          out += static_cast<char>(0x80 | (u & 0x3F));
        } else if (u < 0x10000) {
          out += static_cast<char>(0xE0 | (u >> 12));
          out += static_cast<char>(0x80 | ((u >> 6) & 0x3F));
          out += static_cast<char>(0x80 | (u & 0x3F));
        } else {
          out += static_cast<char>(0xF0 | (u >> 18));
          out += static_cast<char>(0x80 | ((u >> 12) & 0x3F));
          out += static_cast<char>(0x80 | ((u >> 6) & 0x3F));
          out += static_cast<char>(0x80 | (u & 0x3F));
        }
      }
    }
    if (!is_valid_utf8(out)) return bad("invalid UTF-8");
    for (char c : out)
      if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r')
        return bad("control character in a string");
    return out;
  }

  Result<Value> object(std::uint64_t ref, int depth) {
    if (depth > kMaxDepth) return bad("nested too deeply");
    // Shared references could expand a small file into an enormous tree: bound the work.
    if (++visits_ > std::min<std::uint64_t>(objects_ * 8 + 1024, 1000000))
      return bad("too many object references");
    auto offset = offset_of(ref);
    if (!offset) return offset.error();
    std::size_t at = *offset;
    const std::uint8_t marker = byte(at);
    const std::uint8_t type = marker >> 4, info = marker & 0x0F;
    ++at;
    switch (type) {
      case 0x0:
        if (info == 0x8) return Value(false);
        if (info == 0x9) return Value(true);
        return bad("null and fill objects have no plist value");
      case 0x1: {
        if (info > 4) return bad("bad integer size");
        std::size_t n = std::size_t{1} << info;
        if (!fits(at, n)) return bad("truncated integer");
        if (n == 16) {  // 128-bit: plistlib writes values in [2^63, 2^64) this way
          if (be(at, 8) != 0) return bad("integer beyond 64 bits");
          auto v = be(at + 8, 8);
          if (v > static_cast<std::uint64_t>(INT64_MAX))
            return bad("integer beyond the signed 64-bit range");
          return Value(static_cast<std::int64_t>(v));
        }
        // 1, 2 and 4 bytes are unsigned; 8 bytes are two's complement.
        return Value(static_cast<std::int64_t>(be(at, n)));
      }
      case 0x2: {
        if (info != 2 && info != 3) return bad("bad real size");
        std::size_t n = std::size_t{1} << info;
        if (!fits(at, n)) return bad("truncated real");
        auto bits = be(at, n);
        if (n == 4) {
          float f;
          auto b32 = static_cast<std::uint32_t>(bits);
          std::memcpy(&f, &b32, 4);
          return Value(static_cast<double>(f));
        }
        double d;
        std::memcpy(&d, &bits, 8);
        return Value(d);
      }
      case 0x3: {
        if (info != 3 || !fits(at, 8)) return bad("bad date");
        auto bits = be(at, 8);
        double d;
        std::memcpy(&d, &bits, 8);
        if (!std::isfinite(d) || std::fabs(d) > 1e12) return bad("date out of range");
        return Value(Date{kAppleEpoch + static_cast<std::int64_t>(std::floor(d))});
      }
      case 0x4: {
        auto n = length(at, info);
        if (!n) return n.error();
        if (!fits(at, *n)) return bad("truncated data");
        auto s = b_.substr(at, *n);
        return Value(Data(s.begin(), s.end()));
      }
      case 0x5:
      case 0x6: {
        auto n = length(at, info);
        if (!n) return n.error();
        auto s = text(at, type, *n);
        if (!s) return s.error();
        return Value(std::move(*s));
      }
      case 0xA:
      case 0xD: {
        auto n = length(at, info);
        if (!n) return n.error();
        const std::uint64_t refs = type == 0xA ? *n : *n * 2;
        if (*n > objects_ || refs > (end_of_objects_ - std::min(at, end_of_objects_)) / ref_size_)
          return bad("truncated container");
        if (!on_path_.insert(ref).second) return bad("reference cycle");
        Result<Value> out = type == 0xA ? array(at, *n, depth) : dict(at, *n, depth);
        on_path_.erase(ref);
        return out;
      }
      default:
        return bad("unsupported object type (UID, set or reserved)");
    }
  }

  Result<Value> array(std::size_t at, std::uint64_t n, int depth) {
    Array a;
    for (std::uint64_t i = 0; i < n; ++i) {
      auto v = object(be(at + i * ref_size_, ref_size_), depth + 1);
      if (!v) return v.error();
      a.push_back(std::move(*v));
    }
    return Value(std::move(a));
  }

  Result<Value> dict(std::size_t at, std::uint64_t n, int depth) {
    Dict d;
    std::set<std::string> seen;
    for (std::uint64_t i = 0; i < n; ++i) {
      auto k = object(be(at + i * ref_size_, ref_size_), depth + 1);
      if (!k) return k.error();
      if (!k->is_string()) return bad("dict key is not a string");
      std::string key = *k->string();
      if (!seen.insert(key).second) return bad("duplicate key '" + key + "'");
      auto v = object(be(at + (n + i) * ref_size_, ref_size_), depth + 1);
      if (!v) return v.error();
      d.emplace_back(std::move(key), std::move(*v));
    }
    return Value(std::move(d));
  }

  std::string_view b_;
  std::size_t offset_size_ = 0, ref_size_ = 0;
  std::uint64_t objects_ = 0;
  std::size_t table_ = 0, end_of_objects_ = 0;
  std::set<std::uint64_t> on_path_;
  std::uint64_t visits_ = 0;
};
}  // namespace

bool looks_binary(std::string_view bytes) {
  return bytes.substr(0, kBinaryMagic.size()) == kBinaryMagic;
}

Result<Value> from_binary(std::string_view bytes) {
  return BinaryReader(bytes).read();
}

Result<Value> from_any(std::string_view bytes) {
  if (looks_binary(bytes)) return from_binary(bytes);
  return from_xml(bytes);
}

}  // namespace mdmlab::plist
