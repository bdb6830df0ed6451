using IndraSmartPro.Firmware;
using IndraSmartPro.Network;
using IndraSmartPro.Telemetry;

namespace IndraSmartPro.Commissioning
{
    /// <summary>
    /// The board's network interface as the supervisor drives it: Ethernet or Wi-Fi, DHCP or static,
    /// from the configuration. Called only from the network thread; <see cref="Start"/> may block
    /// (DHCP takes seconds), which is why it never runs on the scheduler thread.
    /// </summary>
    public interface INetworkAdapter
    {
        /// <summary>True when the board has the commissioned interface kind (<see cref="NetworkKinds"/>).</summary>
        bool Supports(int networkKind);

        /// <summary>Brings the interface up with <paramref name="config"/>'s settings; null when up, otherwise a short failure code ("no-link", "auth-failed", "no-dhcp-lease", ...).</summary>
        string Start(ChargerConfig config);

        /// <summary>True while the link is up with an address.</summary>
        bool LinkUp { get; }

        /// <summary>The interface's IPv4 address, dotted ("" when none).</summary>
        string Address { get; }

        /// <summary>Takes the interface down (before a retry).</summary>
        void Stop();
    }

    /// <summary>
    /// Brings up the commissioned network interface and keeps it up: starts it, watches the link,
    /// and after a failure or a lost link retries with capped exponential backoff and jitter (1 s
    /// doubling to 5 min), so a fleet that lost its router does not come back all at once. Runs on
    /// the network thread and touches nothing but the adapter: protection and the pilot never wait
    /// for it. State, address and the last failure are read by the console and status (plain
    /// fields written by one thread, read by another: each is one reference or int, so a reader
    /// sees an old or a new value, never a torn one).
    /// </summary>
    public sealed class NetworkSupervisor
    {
        /// <summary>State: not started (not commissioned, or no network configured).</summary>
        public const string StateOff = "off";
        /// <summary>State: bringing the interface up.</summary>
        public const string StateConnecting = "connecting";
        /// <summary>State: link up with an address.</summary>
        public const string StateUp = "up";
        /// <summary>State: failed; waiting to retry.</summary>
        public const string StateRetrying = "retrying";
        /// <summary>Failure: the board has no such interface (e.g. Ethernet on a board without a PHY).</summary>
        public const string FailureNotFitted = "interface-not-fitted";

        /// <summary>First retry delay, milliseconds.</summary>
        public const int BackoffInitialMilliseconds = 1000;
        /// <summary>Longest retry delay, milliseconds (5 min).</summary>
        public const int BackoffMaximumMilliseconds = 300000;
        /// <summary>How often the link is checked while up, milliseconds.</summary>
        public const int WatchMilliseconds = 1000;

        private readonly INetworkAdapter _adapter;
        private readonly ChargerConfig _config;
        private readonly IRandomSource _random;
        private long _retryAtMicroseconds;

        /// <summary>Supervises <paramref name="adapter"/> for <paramref name="config"/>.</summary>
        public NetworkSupervisor(INetworkAdapter adapter, ChargerConfig config, IRandomSource random)
        {
            _adapter = adapter;
            _config = config;
            _random = random;
            State = StateOff;
            Address = "";
        }

        /// <summary>"off", "connecting", "up" or "retrying".</summary>
        public string State { get; private set; }

        /// <summary>The address while up ("" otherwise).</summary>
        public string Address { get; private set; }

        /// <summary>The last failure code, null if none yet.</summary>
        public string LastFailure { get; private set; }

        /// <summary>Failures since the link was last up.</summary>
        public int Failures { get; private set; }

        /// <summary>How long the last backoff was, milliseconds.</summary>
        public int LastBackoffMilliseconds { get; private set; }

        /// <summary>True while the link is up (MQTT may connect).</summary>
        public bool Up => State == StateUp;

        /// <summary>
        /// Does what is due at <paramref name="nowMicroseconds"/>: start, watch or retry. Returns how
        /// long the network thread may wait before the next call, milliseconds.
        /// </summary>
        public int Step(long nowMicroseconds)
        {
            if (!_config.Commissioned)
            {
                State = StateOff;
                return WatchMilliseconds;
            }

            if (State == StateUp)
            {
                if (_adapter.LinkUp)
                {
                    Address = _adapter.Address;
                    return WatchMilliseconds;
                }

                Fail(nowMicroseconds, "link-lost");
                return LastBackoffMilliseconds;
            }

            if (State == StateRetrying && nowMicroseconds < _retryAtMicroseconds)
            {
                return (int)((_retryAtMicroseconds - nowMicroseconds) / 1000) + 1;
            }

            if (!_adapter.Supports(_config.Network))
            {
                Fail(nowMicroseconds, FailureNotFitted);
                return LastBackoffMilliseconds;
            }

            State = StateConnecting;
            string failure = _adapter.Start(_config);
            if (failure != null || !_adapter.LinkUp)
            {
                Fail(nowMicroseconds, failure != null ? failure : "no-link");
                return LastBackoffMilliseconds;
            }

            Failures = 0;
            Address = _adapter.Address;
            State = StateUp;
            return WatchMilliseconds;
        }

        private void Fail(long nowMicroseconds, string failure)
        {
            _adapter.Stop();
            Failures++;
            LastFailure = failure;
            Address = "";
            LastBackoffMilliseconds = ReconnectBackoff.Milliseconds(Failures, BackoffInitialMilliseconds, BackoffMaximumMilliseconds, _random);
            _retryAtMicroseconds = nowMicroseconds + (LastBackoffMilliseconds * 1000L);
            State = StateRetrying;
        }
    }
}
