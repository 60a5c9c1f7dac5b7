// Text placed into HTML or XML markup: element content or a quoted attribute value.
#pragma once

#include <string>
#include <string_view>

namespace mdmlab {

// < > & " ' as character references (&lt; &gt; &amp; &quot; &#39;), valid in HTML and XML.
std::string markup_escape(std::string_view s);

}  // namespace mdmlab
