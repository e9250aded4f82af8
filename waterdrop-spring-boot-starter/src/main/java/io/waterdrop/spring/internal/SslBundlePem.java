package io.waterdrop.spring.internal;

import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslStoreBundle;

/**
 * Turns a Spring Boot {@link SslBundle} into librdkafka's PEM settings: the trust store's certificates become
 * {@code ssl.ca.pem}, the key store's private key (PKCS#8) and its certificate chain {@code ssl.key.pem} and
 * {@code ssl.certificate.pem}. librdkafka cannot read Java keystores, but it reads PEM text.
 *
 * <p>Not mapped: the bundle's protocol and {@link org.springframework.boot.ssl.SslOptions} (ciphers and enabled
 * protocols use Java's names; librdkafka's {@code ssl.cipher.suites} uses OpenSSL's).
 */
final class SslBundlePem {

    static final String CA = "ssl.ca.pem";
    static final String CERTIFICATE = "ssl.certificate.pem";
    static final String KEY = "ssl.key.pem";

    private static final Logger log = LoggerFactory.getLogger(SslBundlePem.class);
    private static final Base64.Encoder MIME = Base64.getMimeEncoder(64, "\n".getBytes());

    private SslBundlePem() {
    }

    /**
     * The librdkafka settings for {@code bundle}; none, with a warning naming {@code description}, when its key
     * cannot be exported (e.g. a hardware key) or its stores cannot be read.
     */
    static Map<String, String> librdkafkaSettings(SslBundle bundle, String description) {
        try {
            return pemSettings(bundle);
        }
        catch (IllegalArgumentException ex) {
            log.warn("{} is not passed to librdkafka: {}. Set ssl.ca.location, ssl.certificate.location and "
                    + "ssl.key.location (PEM files) under waterdrop.kafka instead", description, ex.getMessage());
            return Map.of();
        }
    }

    private static Map<String, String> pemSettings(SslBundle bundle) {
        SslStoreBundle stores = bundle.getStores();
        Map<String, String> settings = new LinkedHashMap<>();
        try {
            KeyStore trustStore = stores.getTrustStore();
            if (trustStore != null) {
                String certificates = trustedCertificates(trustStore);
                if (!certificates.isEmpty()) {
                    settings.put(CA, certificates);
                }
            }
            KeyStore keyStore = stores.getKeyStore();
            if (keyStore != null) {
                putKeyEntry(settings, keyStore, bundle, stores.getKeyStorePassword());
            }
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalArgumentException("could not read the SSL bundle's stores: " + ex.getMessage(), ex);
        }
        return settings;
    }

    /**
     * Whether the librdkafka {@code settings} already name the material that {@code pemKey} would carry in another
     * form (a file location or a keystore): librdkafka rejects both at once.
     */
    static boolean setOtherwise(String pemKey, Map<String, String> settings) {
        return switch (pemKey) {
            case CA -> settings.containsKey("ssl.ca.location");
            case CERTIFICATE -> settings.containsKey("ssl.certificate.location")
                    || settings.containsKey("ssl.keystore.location");
            case KEY -> settings.containsKey("ssl.key.location") || settings.containsKey("ssl.keystore.location");
            default -> false;
        };
    }

    private static String trustedCertificates(KeyStore store) throws GeneralSecurityException {
        StringBuilder pem = new StringBuilder();
        for (String alias : Collections.list(store.aliases())) {
            Certificate certificate = store.getCertificate(alias);
            if (certificate != null) {
                pem.append(pem("CERTIFICATE", certificate.getEncoded()));
            }
        }
        return pem.toString();
    }

    private static void putKeyEntry(Map<String, String> settings, KeyStore store, SslBundle bundle,
            @Nullable String storePassword) throws GeneralSecurityException {
        String alias = bundle.getKey().getAlias();
        if (alias == null) {
            alias = firstKeyAlias(store);
            if (alias == null) {
                return;
            }
        }
        Key key = key(store, alias, bundle.getKey().getPassword(), storePassword);
        if (!(key instanceof PrivateKey privateKey) || !"PKCS#8".equals(privateKey.getFormat())) {
            throw new IllegalArgumentException("the private key '" + alias + "' of the SSL bundle cannot be exported "
                    + "as PKCS#8 PEM for librdkafka");
        }
        Certificate[] chain = store.getCertificateChain(alias);
        if (chain == null || chain.length == 0) {
            throw new IllegalArgumentException("the private key '" + alias + "' of the SSL bundle has no certificate");
        }
        StringBuilder certificates = new StringBuilder();
        for (Certificate certificate : chain) {
            certificates.append(pem("CERTIFICATE", certificate.getEncoded()));
        }
        settings.put(CERTIFICATE, certificates.toString());
        settings.put(KEY, pem("PRIVATE KEY", privateKey.getEncoded()));
    }

    private static @Nullable String firstKeyAlias(KeyStore store) throws GeneralSecurityException {
        for (String alias : Collections.list(store.aliases())) {
            if (store.isKeyEntry(alias)) {
                return alias;
            }
        }
        return null;
    }

    /** The key under the bundle's key password, else the store's password, else none (PEM bundles). */
    private static Key key(KeyStore store, String alias, @Nullable String keyPassword, @Nullable String storePassword)
            throws GeneralSecurityException {
        List<char[]> candidates = new ArrayList<>();
        if (keyPassword != null) {
            candidates.add(keyPassword.toCharArray());
        }
        if (storePassword != null) {
            candidates.add(storePassword.toCharArray());
        }
        candidates.add(null);
        GeneralSecurityException last = null;
        for (char[] password : candidates) {
            try {
                Key key = store.getKey(alias, password);
                if (key != null) {
                    return key;
                }
            }
            catch (GeneralSecurityException ex) {
                last = ex;
            }
        }
        throw new IllegalArgumentException("the private key '" + alias + "' of the SSL bundle could not be read"
                + (last != null ? ": " + last.getMessage() : ""), last);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + MIME.encodeToString(der) + "\n-----END " + type + "-----\n";
    }
}
