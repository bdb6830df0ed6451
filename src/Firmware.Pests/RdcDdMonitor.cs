using IndraSmartPro.Board;
using IndraSmartPro.Safety;

namespace IndraSmartPro.Pests
{
    /// <summary>
    /// The integral 6 mA DC residual current module (IEC 62955 RDC-DD; manual's table "DC 6mA
    /// Protection"). Its fault output latches "rdc-dd" at once (polled every millisecond). It is
    /// self-tested through its test input with the contactor open: at boot, after every opening
    /// of the contactor (so before every session), and when idle 24 h after the last pass
    /// (docs/domain.md, "6 mA DC residual current (RDC-DD)": before each session or at least every 24 h). A session running past 24 h is
    /// not interrupted (opening under load welds relays); its closing opening triggers the next
    /// test. The contactor may close only after a pass and not while a test runs. A failed test
    /// latches "rdc-dd-selftest-failed" and is not retried until a reset. Allocation-free.
    /// </summary>
    public sealed class RdcDdMonitor : IPowerInterlock
    {
        /// <summary>Blocking code until a self-test has passed.</summary>
        public const string SelfTestPendingCode = "rdc-dd-selftest-pending";

        private const int Idle = 0;
        private const int TestRising = 1;
        private const int TestFalling = 2;
        private const int Failed = 3;

        private readonly IRcdMonitor _module;
        private readonly RelaySupervisor _relays;
        private readonly IProtectiveLatch _latch;
        private int _state = Idle;
        private long _stateSinceMicroseconds;
        private bool _passed;
        private bool _testDue = true;
        private long _lastPassMicroseconds = -1;
        private long _openingTestedMicroseconds = -1;
        private int _passes;

        /// <summary>Creates the monitor on the module's fault and test lines.</summary>
        public RdcDdMonitor(IRcdMonitor module, RelaySupervisor relays, IProtectiveLatch latch)
        {
            _module = module;
            _relays = relays;
            _latch = latch;
        }

        /// <summary>True while a self-test is running (the module's fault output is then expected, not a trip).</summary>
        public bool Testing => _state == TestRising || _state == TestFalling;

        /// <summary>True after a self-test has passed and no newer one has failed.</summary>
        public bool Passed => _passed;

        /// <summary>Clock time of the last pass, microseconds; −1 if none.</summary>
        public long LastPassMicroseconds => _lastPassMicroseconds;

        /// <summary>Number of passed self-tests since boot.</summary>
        public int Passes => _passes;

        /// <inheritdoc />
        public bool PermitsEarth => true;

        /// <inheritdoc />
        public bool PermitsContactor =>
            _relays.ContactorClosed
            || (_state == Idle && _passed && !_testDue && _relays.ContactorOpenedMicroseconds == _openingTestedMicroseconds);

        /// <inheritdoc />
        public string BlockingCode => PermitsContactor ? null : SelfTestPendingCode;

        /// <summary>Asks for a new self-test (after a reset) and allows one after a failure.</summary>
        public void RequireSelfTest()
        {
            _testDue = true;
            if (_state == Failed)
            {
                _state = Idle;
            }
        }

        /// <summary>Reads the module and runs the self-test sequence. Call every protection millisecond.</summary>
        public void Poll(long nowMicroseconds)
        {
            bool fault = _module.ReadFault();
            switch (_state)
            {
                case TestRising:
                    if (fault)
                    {
                        _module.SetTest(false);
                        Enter(TestFalling, nowMicroseconds);
                    }
                    else if (nowMicroseconds - _stateSinceMicroseconds >= PestLimits.RdcDdTestRiseMicroseconds)
                    {
                        Fail(nowMicroseconds);
                    }

                    return;
                case TestFalling:
                    if (!fault)
                    {
                        _passed = true;
                        _testDue = false;
                        _passes++;
                        _lastPassMicroseconds = nowMicroseconds;
                        Enter(Idle, nowMicroseconds);
                    }
                    else if (nowMicroseconds - _stateSinceMicroseconds >= PestLimits.RdcDdTestFallMicroseconds)
                    {
                        Fail(nowMicroseconds);
                    }

                    return;
            }

            if (fault)
            {
                _latch.Latch(nowMicroseconds, TripCauses.RdcDd);
                return;
            }

            if (_state == Failed || _relays.ContactorClosed)
            {
                return;
            }

            long opened = _relays.ContactorOpenedMicroseconds;
            if (opened != _openingTestedMicroseconds)
            {
                _testDue = true;
            }

            if (_lastPassMicroseconds >= 0 && nowMicroseconds - _lastPassMicroseconds >= PestLimits.RdcDdTestIntervalMicroseconds)
            {
                _testDue = true;
            }

            if (_testDue)
            {
                _openingTestedMicroseconds = opened;
                _module.SetTest(true);
                Enter(TestRising, nowMicroseconds);
            }
        }

        private void Fail(long nowMicroseconds)
        {
            _module.SetTest(false);
            _passed = false;
            Enter(Failed, nowMicroseconds);
            _latch.Latch(nowMicroseconds, TripCauses.RdcDdSelfTestFailed);
        }

        private void Enter(int state, long nowMicroseconds)
        {
            _state = state;
            _stateSinceMicroseconds = nowMicroseconds;
        }
    }
}
