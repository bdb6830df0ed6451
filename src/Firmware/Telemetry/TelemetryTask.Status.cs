using IndraSmartPro.Json;
using IndraSmartPro.Time;

namespace IndraSmartPro.Telemetry
{
    // The status (retained, on change and at its interval) and the power message (samples every
    // second, published at its interval).
    public sealed partial class TelemetryTask
    {
        // Refreshes the status every run (cheap); writes it when due and allowed. True if written.
        private bool UpdateStatus(long now, bool mayWrite)
        {
            ChargerStatus s = _status;
            s.State = null;
            if (_source != null)
            {
                _source.Fill(now, s);
            }

            s.DeriveState();
            int linkChanges = _link.StateChanges;
            bool due = _nextStatusMicroseconds < 0 || now >= _nextStatusMicroseconds || _processor.RefreshRequested || s.DiscreteDiffers(_published)
                || linkChanges != _linkStateChangesPublished;
            if (!due || !mayWrite)
            {
                return false;
            }

            WriteStatus(now);
            _bytesThisRun += _statusWriter.Length;
            if (!_statusWriter.Overflowed)
            {
                _link.SetStatus(_statusWriter.Buffer, _statusWriter.Length);
            }

            _published.CopyDiscreteFrom(s);
            _linkStateChangesPublished = linkChanges;
            _processor.ClearRefreshRequest();
            _nextStatusMicroseconds = now + (_options.StatusIntervalSeconds * MicrosecondsPerSecond);
            return true;
        }

        private void WriteStatus(long now)
        {
            ChargerStatus s = _status;
            JsonWriter w = _statusWriter;
            w.Reset();
            w.BeginObject();
            w.Property("v", MqttTopics.ContractVersion);
            w.Property("serial", _serial);
            w.Property("fw", _firmwareVersion);
            w.Property("uptimeS", now / MicrosecondsPerSecond);
            WriteUtc(w, now);
            w.Property("state", s.State);
            w.Property("pilot", s.Pilot);
            w.PropertyBool("contactor", s.Contactor);
            w.PropertyBool("paused", s.Paused);
            w.PropertyFixed("offeredA", s.OfferedMilliamps, 3);
            w.Property("limitReason", s.LimitReason);
            w.PropertyFixed("currentA", s.CurrentMilliamps, 3);
            w.Property("powerW", RoundMilliToUnit(s.PowerMilliwatts));
            w.Property("sessionWh", s.SessionWattHours);
            w.Property("lifetimeWh", s.LifetimeWattHours);
            w.PropertyFixed("vLn", s.LineNeutralMillivolts, 3);
            w.PropertyFixed("vLtt", s.LineTtRefMillivolts, 3);
            w.PropertyFixed("vCpcTt", s.CpcTtRefMillivolts, 3);
            w.Property("pestMode", s.PestMode);
            w.Name("trips");
            w.BeginArray();
            for (int i = 0; i < s.TripCount; i++)
            {
                w.String(s.Trips[i]);
            }

            w.EndArray();
            w.Name("faults");
            w.BeginArray();
            for (int i = 0; i < s.FaultCount; i++)
            {
                w.String(s.Faults[i]);
            }

            w.EndArray();
            WriteCurtailment(w, s);
            w.Property("eventsDropped", _link.EventsDropped + _eventsNotQueued);
            w.Property("commandsUnanswered", _link.CommandsUnanswered);
            w.Property("link", _link.State);
            w.Property("linkFailure", _link.LastFailure);

            // Smart charging (docs/smart-charging.md); countdowns only while they run.
            w.PropertyBool("boost", s.Boost);
            if (s.BoostRemainingSeconds > 0)
            {
                w.Property("boostRemainingS", s.BoostRemainingSeconds);
            }

            if (s.BoostRemainingWattHours > 0)
            {
                w.Property("boostRemainingWh", s.BoostRemainingWattHours);
            }

            if (s.RandomDelaySeconds > 0)
            {
                w.Property("randomDelayS", s.RandomDelaySeconds);
            }

            w.Name("schedule");
            if (s.Schedule != null)
            {
                w.String(s.Schedule);
            }
            else
            {
                w.Null();
            }

            w.Property("defaultHours", s.DefaultHours);
            w.EndObject();
        }

        // Curtailment members of the status (docs/mqtt.md): only when a source fills them.
        private static void WriteCurtailment(JsonWriter w, ChargerStatus s)
        {
            if (s.Curtailment == null)
            {
                return;
            }

            w.PropertyFixed("importA", s.ImportMilliamps, 3);
            w.Name("evAllowanceA");
            if (s.EvAllowanceMilliamps < 0)
            {
                w.Null();
            }
            else
            {
                w.Fixed(s.EvAllowanceMilliamps, 3);
            }

            w.Property("curtailment", s.Curtailment);
            w.Property("ct", s.CtHealth);
            w.Property("solarMode", s.SolarMode);
            w.Property("contactorCycles", s.ContactorCycles);
        }

        // "utc": ISO 8601 when the wall clock is synchronised, else null (docs/mqtt.md).
        private void WriteUtc(JsonWriter w, long uptimeMicroseconds)
        {
            long utc;
            w.Name("utc");
            if (WallClock != null && WallClock.TryGetUtcSeconds(uptimeMicroseconds, out utc))
            {
                UtcText.Write(utc, _utcChars, 0);
                w.String(_utcChars, 0, UtcText.Length);
            }
            else
            {
                w.Null();
            }
        }

        // Samples power every second; writes the power message when due and allowed.
        private void UpdatePower(long now, bool mayWrite)
        {
            long interval = _options.PowerIntervalSeconds * MicrosecondsPerSecond;
            if (_nextPowerSampleMicroseconds < 0)
            {
                // A sample closes each second, so one interval holds exactly intervalS samples.
                _nextPowerSampleMicroseconds = now + MicrosecondsPerSecond;
                _nextPowerPublishMicroseconds = now + interval;
            }

            if (now >= _nextPowerSampleMicroseconds)
            {
                // Smart Charge Points Regulations 2021, reg. 9: power measured every second.
                if (_powerSampleCount < MaxPowerSamples)
                {
                    _powerSamplesWatts[_powerSampleCount++] = RoundMilliToUnit(_status.PowerMilliwatts);
                }

                _nextPowerSampleMicroseconds += MicrosecondsPerSecond;
                if (_nextPowerSampleMicroseconds <= now)
                {
                    // Fell behind by more than a second (a stalled scheduler): keep the grid, skip the gap.
                    _nextPowerSampleMicroseconds = now + MicrosecondsPerSecond;
                }
            }

            if (mayWrite && now >= _nextPowerPublishMicroseconds)
            {
                JsonWriter w = _powerWriter;
                w.Reset();
                w.BeginObject();
                w.Property("v", MqttTopics.ContractVersion);
                w.Property("uptimeS", now / MicrosecondsPerSecond);
                w.Property("intervalS", _options.PowerIntervalSeconds);
                w.Property("powerW", RoundMilliToUnit(_status.PowerMilliwatts));
                w.Name("samplesW");
                w.BeginArray();
                for (int i = 0; i < _powerSampleCount; i++)
                {
                    w.Number(_powerSamplesWatts[i]);
                }

                w.EndArray();
                w.EndObject();
                _bytesThisRun += w.Length;
                if (!w.Overflowed)
                {
                    _link.SetPower(w.Buffer, w.Length);
                }

                _powerSampleCount = 0;
                _nextPowerPublishMicroseconds += interval;
                if (_nextPowerPublishMicroseconds <= now)
                {
                    _nextPowerPublishMicroseconds = now + interval;
                }
            }
        }

        // Milli-units to units, rounded half away from zero.
        private static int RoundMilliToUnit(int milli)
        {
            return milli >= 0 ? (milli + 500) / 1000 : -((-milli + 500) / 1000);
        }
    }
}
