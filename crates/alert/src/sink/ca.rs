//! The extra CA of a sink (`ca_file`, PEM) and the rustls client config
//! that trusts it on top of the system roots, with the ring provider.

use std::path::Path;
use std::sync::Arc;

use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;

use crate::AlertError;

/// Largest CA file read.
pub const MAX_CA_FILE_BYTES: u64 = 1 << 20;

/// The certificates in the PEM file `path`: at least one, or an error that
/// names the sink and the file.
pub fn read_ca_file(sink: &str, path: &Path) -> Result<Vec<CertificateDer<'static>>, AlertError> {
    let bad = |message: String| AlertError::Sink {
        sink: sink.to_string(),
        message: format!("ca_file {}: {message}", path.display()),
    };
    let bytes = clawguard_sys::regular_file::read(
        path,
        clawguard_sys::regular_file::Follow::Yes,
        MAX_CA_FILE_BYTES,
    )
    .map_err(|e| bad(e.to_string()))?;
    let certs = CertificateDer::pem_slice_iter(&bytes)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| bad(format!("not PEM certificates: {e}")))?;
    if certs.is_empty() {
        return Err(bad("no PEM certificate in it".into()));
    }
    Ok(certs)
}

/// A TLS client config trusting the system roots and `extra`.
pub fn client_config(
    sink: &str,
    extra: &[CertificateDer<'static>],
) -> Result<Arc<rustls::ClientConfig>, AlertError> {
    let bad = |message: String| AlertError::Sink {
        sink: sink.to_string(),
        message,
    };
    let mut roots = rustls::RootCertStore::empty();
    // Unreadable system certificates are skipped: `ca_file` may be all a
    // self-hosted receiver needs.
    let native = rustls_native_certs::load_native_certs();
    roots.add_parsable_certificates(native.certs);
    for cert in extra {
        roots
            .add(cert.clone())
            .map_err(|e| bad(format!("ca_file: {e}")))?;
    }
    // No roots at all (no ca-certificates, no ca_file) still builds: a
    // plain-HTTP receiver needs none, and a TLS one fails its handshake
    // with "unknown issuer", which the sink reports.
    // ring, as the workspace chose (no aws-lc-rs build); rustls 0.23.48
    // deprecates it only for lacking post-quantum key exchange.
    #[allow(deprecated)]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| bad(format!("TLS: {e}")))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Arc::new(config))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ca_file_without_certificates_is_refused_with_its_name() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ca.pem");
        std::fs::write(&path, "not a certificate\n").unwrap();
        let err = read_ca_file("mail", &path).unwrap_err().to_string();
        assert!(err.contains("sink mail") && err.contains("ca.pem"), "{err}");
        assert!(err.contains("no PEM certificate"), "{err}");
        let missing = read_ca_file("mail", &dir.path().join("absent.pem")).unwrap_err();
        assert!(missing.to_string().contains("absent.pem"), "{missing}");
    }

    #[test]
    fn a_generated_ca_is_read_and_trusted() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ca.pem");
        let cert = rcgen::generate_simple_self_signed(vec!["localhost".into()]).unwrap();
        std::fs::write(&path, cert.cert.pem()).unwrap();
        let certs = read_ca_file("s", &path).unwrap();
        assert_eq!(certs.len(), 1);
        client_config("s", &certs).unwrap();
    }
}
