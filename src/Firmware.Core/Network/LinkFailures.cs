namespace IndraSmartPro.Network
{
    /// <summary>
    /// Why a connection to the broker failed or ended, as a service engineer reads it in the status
    /// and on the console (docs/mqtt.md). A transport maps its own errors onto these codes.
    /// </summary>
    public static class LinkFailures
    {
        /// <summary>The broker's host name did not resolve.</summary>
        public const string Dns = "dns";

        /// <summary>The TCP connection was refused (nothing listening, a firewall's reset) or the network is unreachable.</summary>
        public const string Refused = "refused";

        /// <summary>The TLS handshake failed: certificate not trusted, wrong name, protocol mismatch.</summary>
        public const string Tls = "tls";

        /// <summary>The broker answered CONNACK "bad user name or password" or "not authorised".</summary>
        public const string NotAuthorised = "not-authorised";

        /// <summary>The broker answered CONNACK with another refusal (protocol version, identifier rejected, unavailable).</summary>
        public const string Rejected = "rejected";

        /// <summary>No answer in time (connect, subscribe or the first publish).</summary>
        public const string Timeout = "timeout";

        /// <summary>The session was up and dropped (keep-alive, the broker closed it, a publish failed).</summary>
        public const string Lost = "lost";

        /// <summary>Anything else.</summary>
        public const string Other = "other";
    }
}
