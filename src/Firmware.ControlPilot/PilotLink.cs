using System;
using IndraSmartPro.Board;
using IndraSmartPro.Events;
using IndraSmartPro.Safety;

namespace IndraSmartPro.ControlPilot
{
    /// <summary>
    /// The control pilot's first level: the output (<see cref="PilotGenerator"/>), one sample per
    /// pilot task run (<see cref="PilotSampler"/>) and, per completed 29 ms window, the debounced
    /// classification (<see cref="PilotClassifier"/>). It publishes the pilot state the line shows.
    /// <para>
    /// It is the pilot's <see cref="IPilotSafety"/>, given once to the
    /// <see cref="RelaySupervisor"/>'s constructor, so it exists before the session that owns the
    /// output's meaning: the session attaches itself once (in its constructor) and a trip puts it
    /// in <see cref="SessionState.Fault"/> in the trip's own call. Until then a trip holds −12 V here.
    /// </para>
    /// </summary>
    public sealed class PilotLink : IPilotSafety
    {
        private readonly EventBus _events;
        private readonly PilotGenerator _generator;
        private readonly PilotSampler _sampler;
        private readonly PilotClassifier _classifier = new PilotClassifier();
        private IPilotSafety _session;
        private int _seenEpoch = -1;
        private int _shownPilot = -1;

        /// <summary>Builds the link on the pilot's analogue input and its output.</summary>
        public PilotLink(IAnalogInputs inputs, IPilotOutput output, EventBus events)
        {
            if (inputs == null || output == null || events == null)
            {
                throw new ArgumentNullException();
            }

            _events = events;
            _generator = new PilotGenerator(output, events);
            _sampler = new PilotSampler(inputs);
        }

        /// <summary>The output (the session's use: hold ±12 V, set the duty).</summary>
        public PilotGenerator Generator => _generator;

        /// <summary>The classifier (read-only use outside the session: status and tests).</summary>
        public PilotClassifier Classifier => _classifier;

        /// <summary>The sampler (read-only use: status and tests).</summary>
        public PilotSampler Sampler => _sampler;

        /// <summary>The pilot state shown: F while this unit holds −12 V, otherwise the debounced classified state.</summary>
        public PilotState ShownState => _generator.HoldingNegative ? PilotState.F : _classifier.State;

        /// <summary>
        /// One pilot task run: takes one sample; when that completes a window, classifies it,
        /// publishes the pilot state if it changed and returns true (the session then runs one step).
        /// </summary>
        public bool TakeSample(long nowMicroseconds)
        {
            if (_generator.Epoch != _seenEpoch)
            {
                _seenEpoch = _generator.Epoch;
                _classifier.OutputChanged();
            }

            if (!_sampler.Sample(_generator.Epoch, _generator.PwmRunning))
            {
                return false;
            }

            _classifier.Update(_sampler.HighMillivolts, _sampler.LowMillivolts, _sampler.LowValid);
            PublishState(nowMicroseconds);
            return true;
        }

        /// <summary>
        /// Publishes the pilot state the line shows: F while this unit holds −12 V (whatever the
        /// line then reads: a shorted diode or a short to PE pulls it towards 0 V), otherwise the
        /// classified state once confirmed under the present output.
        /// </summary>
        public void PublishState(long nowMicroseconds)
        {
            // After the output changes mode the classified state is stale until fresh windows confirm it.
            int shown = _generator.HoldingNegative ? (int)PilotState.F : (_classifier.Known && _classifier.Fresh ? (int)_classifier.State : -1);
            if (shown < 0 || shown == _shownPilot)
            {
                return;
            }

            _shownPilot = shown;
            _events.Publish(ChargerEventKind.PilotState, nowMicroseconds, shown, false, PilotStates.Code((PilotState)shown));
        }

        /// <inheritdoc />
        public void EnterFaultState(long nowMicroseconds)
        {
            if (_session != null)
            {
                _session.EnterFaultState(nowMicroseconds);
                return;
            }

            _generator.HoldNegative(nowMicroseconds);
            PublishState(nowMicroseconds);
        }

        /// <summary>The session attaches itself once, in its constructor.</summary>
        internal void Attach(IPilotSafety session)
        {
            if (_session != null)
            {
                throw new InvalidOperationException("a pilot link serves one session");
            }

            _session = session;
        }
    }
}
