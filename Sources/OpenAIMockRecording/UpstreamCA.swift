import CUpstreamCA
import Foundation

/// `openai-mock record --upstream-ca FILE`: the upstream's certificate is verified against the CA
/// certificates in FILE (PEM) instead of the system store — as `curl --cacert` does. Linux only:
/// URLSession there is libcurl, whose CA file `CUpstreamCA` sets on every request (its header says how).
public enum UpstreamCA {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Validates FILE and makes it the upstream's trust store. Call before the first URLSession exists.
    public static func trust(_ path: String) throws(Failure) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Failure(description: "--upstream-ca \(path): cannot read the file")
        }
        guard String(decoding: data, as: UTF8.self).contains("-----BEGIN CERTIFICATE-----") else {
            throw Failure(description: "--upstream-ca \(path): no PEM certificate in the file (expected -----BEGIN CERTIFICATE-----)")
        }
        #if os(Linux)
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        guard openai_mock_upstream_ca(absolute) == 1 else {
            throw Failure(description: "--upstream-ca: this build cannot set libcurl's CA file (curl_easy_setopt is not interposed)")
        }
        #else
        throw Failure(description: "--upstream-ca is supported on Linux only; on this platform, trust the CA in the system store")
        #endif
    }

    /// How many upstream requests were sent with FILE as their CA file.
    public static var requestsUsingIt: Int { openai_mock_upstream_ca_applied() }
}
