// The one translation unit that compiles Asio, Asio.SSL and Beast (separate compilation): every
// other file of llmtap_http only instantiates templates, which keeps rebuilds affordable.
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
