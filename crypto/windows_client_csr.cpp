#include "crypto/windows_client_csr.hpp"

#include <openssl/objects.h>
#include <openssl/x509.h>

#include <string>

#include "crypto/op_counter.hpp"

namespace mdmlab::crypto {

Result<Csr> build_windows_client_csr(const PrivateKey& key, std::string_view device_id,
                                     std::string_view guid_prefix) {
  X509ReqPtr req(X509_REQ_new());
  X509_REQ_set_version(req.get(), 0);
  // The CN as Windows writes it: a PrintableString whose bytes PrintableString does not allow.
  // A type without MBSTRING_FLAG is stored as given, not checked.
  std::string cn(guid_prefix);
  cn += '!';
  cn += device_id;
  cn += '\0';
  X509NamePtr name(X509_NAME_new());
  if (!name || X509_NAME_add_entry_by_NID(name.get(), NID_commonName, V_ASN1_PRINTABLESTRING,
                                          reinterpret_cast<const unsigned char*>(cn.data()),
                                          static_cast<int>(cn.size()), -1, 0) != 1)
    return openssl_error("bad_csr", "cannot write the subject");
  X509_REQ_set_subject_name(req.get(), name.get());
  X509_REQ_set_pubkey(req.get(), key.get());

  std::string id(device_id);
  id += '\0';
  OpenSslPtr<ASN1_OCTET_STRING, ASN1_OCTET_STRING_free> value(ASN1_OCTET_STRING_new());
  OpenSslPtr<ASN1_OBJECT, ASN1_OBJECT_free> oid(OBJ_txt2obj(kWindowsDeviceIdExtensionOid, 1));
  if (!value || !oid ||
      ASN1_OCTET_STRING_set(value.get(), reinterpret_cast<const unsigned char*>(id.data()),
                            static_cast<int>(id.size())) != 1)
    return openssl_error("bad_csr", "cannot write the DeviceID extension");
  X509ExtensionPtr ext(X509_EXTENSION_create_by_OBJ(nullptr, oid.get(), 0, value.get()));
  OpenSslPtr<STACK_OF(X509_EXTENSION), free_extension_stack_shallow> exts(
      sk_X509_EXTENSION_new_null());
  if (!ext || !exts) return openssl_error("bad_csr", "cannot write the DeviceID extension");
  sk_X509_EXTENSION_push(exts.get(), ext.get());
  if (X509_REQ_add_extensions(req.get(), exts.get()) != 1)
    return openssl_error("bad_csr", "cannot add the requested extensions");

  count_private_key_operation();
  if (X509_REQ_sign(req.get(), key.get(), EVP_sha1()) <= 0)
    return openssl_error("sign_failed", "cannot sign the request with SHA-1");
  // The signature covers the request info only: the algorithm can be named by its OIW OID
  // (sha1WithRSA, 1.3.14.3.2.29) afterwards, as Windows names it.
  const ASN1_BIT_STRING* signature = nullptr;
  const X509_ALGOR* algorithm = nullptr;
  X509_REQ_get0_signature(req.get(), &signature, &algorithm);
  if (!algorithm || X509_ALGOR_set0(const_cast<X509_ALGOR*>(algorithm),
                                    OBJ_nid2obj(NID_sha1WithRSA), V_ASN1_NULL, nullptr) != 1)
    return openssl_error("bad_csr", "cannot name the signature algorithm");
  // Read back from DER, so that what the caller holds is what goes on the wire.
  Csr built(std::move(req));
  return Csr::from_der(built.to_der());
}

}  // namespace mdmlab::crypto
