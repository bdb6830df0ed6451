using System;

namespace IndraSmartPro.Events
{
    /// <summary>
    /// Fans events out to a fixed set of listeners (simulator output, MQTT, the service log).
    /// Publishing reuses one event object: no allocation per event.
    /// </summary>
    public sealed class EventBus
    {
        /// <summary>Upper bound on listeners.</summary>
        public const int MaxListeners = 8;

        private readonly IChargerEventListener[] _listeners = new IChargerEventListener[MaxListeners];
        private readonly ChargerEvent _event = new ChargerEvent();
        private int _count;
        private bool _publishing;

        /// <summary>Adds a listener; call during composition.</summary>
        public void Subscribe(IChargerEventListener listener)
        {
            if (listener == null)
            {
                throw new ArgumentNullException("listener");
            }

            if (_count == MaxListeners)
            {
                throw new InvalidOperationException("too many listeners");
            }

            _listeners[_count++] = listener;
        }

        /// <summary>Publishes an event with a number, a flag and a code.</summary>
        public void Publish(ChargerEventKind kind, long nowMicroseconds, int value, bool flag, string code)
        {
            Publish(kind, nowMicroseconds, value, 0, flag, code, null, null);
        }

        /// <summary>Publishes an event with every field.</summary>
        public void Publish(ChargerEventKind kind, long nowMicroseconds, int value, int value2, bool flag, string code, string text, object detail)
        {
            if (_publishing)
            {
                // A listener published from inside OnEvent: that would overwrite the shared event
                // under the other listeners. It is a programming error, not a run-time condition.
                throw new InvalidOperationException("a listener must not publish");
            }

            _publishing = true;
            try
            {
                ChargerEvent e = _event;
                e.Kind = kind;
                e.TimeMicroseconds = nowMicroseconds;
                e.Value = value;
                e.Value2 = value2;
                e.Flag = flag;
                e.Code = code;
                e.Text = text;
                e.Detail = detail;
                for (int i = 0; i < _count; i++)
                {
                    _listeners[i].OnEvent(e);
                }
            }
            finally
            {
                _publishing = false;
            }
        }
    }
}
