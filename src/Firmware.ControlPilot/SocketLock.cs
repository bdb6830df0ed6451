using IndraSmartPro.Board;

namespace IndraSmartPro.ControlPilot
{
    /// <summary>Where the socket lock is.</summary>
    public enum SocketLockStatus
    {
        /// <summary>Not driven.</summary>
        Unlocked = 0,
        /// <summary>Driven towards locked, feedback not yet seen.</summary>
        Locking = 1,
        /// <summary>Driven and the feedback confirms the pin is engaged.</summary>
        Locked = 2,
        /// <summary>The feedback did not confirm within the bound, or was lost while locked. Latched until <see cref="SocketLock.Reset"/>.</summary>
        Failed = 3,
    }

    /// <summary>
    /// Supervises the Type 2 socket's lock actuator (socket variant): lock, verify the feedback
    /// within <see cref="TimeoutMicroseconds"/>, watch it while locked, release on request.
    /// The caller decides when releasing is safe (only when no current flows).
    /// </summary>
    public sealed class SocketLock
    {
        /// <summary>Default bound for the feedback to confirm the lock: 1 s (typical actuators take 0.2–0.6 s; check against the fitted part).</summary>
        public const int DefaultTimeoutMicroseconds = 1000000;

        private readonly ISocketLock _lock;
        private SocketLockStatus _status;
        private long _lockingSinceMicroseconds;
        private bool _driven;

        /// <summary>Creates the supervisor; the actuator is released.</summary>
        public SocketLock(ISocketLock socketLock, int timeoutMicroseconds)
        {
            _lock = socketLock;
            TimeoutMicroseconds = timeoutMicroseconds;
            _lock.SetLockDrive(false);
        }

        /// <summary>How long the feedback may take to confirm the lock, microseconds.</summary>
        public int TimeoutMicroseconds { get; }

        /// <summary>Where the lock is.</summary>
        public SocketLockStatus Status => _status;

        /// <summary>Starts locking (no effect unless unlocked).</summary>
        public void RequestLock(long nowMicroseconds)
        {
            if (_status != SocketLockStatus.Unlocked)
            {
                return;
            }

            _lock.SetLockDrive(true);
            _driven = true;
            _status = SocketLockStatus.Locking;
            _lockingSinceMicroseconds = nowMicroseconds;
        }

        /// <summary>Checks the feedback. Returns true when the lock has just failed.</summary>
        public bool Update(long nowMicroseconds)
        {
            if (_status == SocketLockStatus.Locking)
            {
                if (_lock.ReadLocked())
                {
                    _status = SocketLockStatus.Locked;
                }
                else if (nowMicroseconds - _lockingSinceMicroseconds >= TimeoutMicroseconds)
                {
                    Fail();
                    return true;
                }
            }
            else if (_status == SocketLockStatus.Locked && !_lock.ReadLocked())
            {
                Fail();
                return true;
            }

            return false;
        }

        /// <summary>Releases the actuator. Only call when no current flows. A failure stays latched.</summary>
        public void Release()
        {
            _lock.SetLockDrive(false);
            _driven = false;
            if (_status != SocketLockStatus.Failed)
            {
                _status = SocketLockStatus.Unlocked;
            }
        }

        /// <summary>True while the actuator is driven towards locked.</summary>
        public bool Driven => _driven;

        /// <summary>Clears a latched failure (the plug was removed) and releases.</summary>
        public void Reset()
        {
            _lock.SetLockDrive(false);
            _driven = false;
            _status = SocketLockStatus.Unlocked;
        }

        private void Fail()
        {
            // The drive is left as it is: releasing is the caller's, only when no current flows.
            _status = SocketLockStatus.Failed;
        }
    }
}
