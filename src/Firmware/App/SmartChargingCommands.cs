using IndraSmartPro.Features.SmartCharging;
using IndraSmartPro.Json;
using IndraSmartPro.Persistence;
using IndraSmartPro.Telemetry;
using IndraSmartPro.Time;

namespace IndraSmartPro.Firmware
{
    /// <summary>
    /// The smart-charging MQTT commands (docs/mqtt.md, "Smart-charging commands"): set-schedule,
    /// clear-schedule, boost, cancel-boost, set-default-hours, set-random-delay,
    /// cancel-random-delay. Validated strictly with <see cref="CommandProcessor"/>'s reasons: every
    /// member checked before anything changes, so a rejected message changes nothing.
    /// Runs on the scheduler thread inside the telemetry task. Schedules are parsed into two
    /// preallocated buffers; the only allocation is none.
    /// </summary>
    internal sealed class SmartChargingCommands : ICommandExtension
    {
        public const string SetScheduleCommand = "set-schedule";
        public const string ClearScheduleCommand = "clear-schedule";
        public const string BoostCommand = "boost";
        public const string CancelBoostCommand = "cancel-boost";
        public const string SetDefaultHoursCommand = "set-default-hours";
        public const string SetRandomDelayCommand = "set-random-delay";
        public const string CancelRandomDelayCommand = "cancel-random-delay";
        public const string ReadHistoryCommand = "read-history";

        public const string LogMember = "log";
        public const string FromMember = "from";
        public const string CountMember = "count";
        public const string LogSessions = "sessions";
        public const string LogEnergy = "energy";

        /// <summary>Most session records in one result (each about 95 bytes; a result is at most 1 KB with the longest id).</summary>
        public const int MaxSessionsPerPage = 4;

        /// <summary>Most half-hour records in one result (each about 40 bytes).</summary>
        public const int MaxHalfHoursPerPage = 8;

        public const string KindMember = "kind";
        public const string WindowsMember = "windows";
        public const string EnergyMember = "energyWh";
        public const string DurationMember = "durationS";
        public const string MaxMember = "maxS";
        public const string StartMember = "start";
        public const string EndMember = "end";
        public const string DaysMember = "days";
        public const string AmpsMember = "amps";

        public const string KindDefault = "default";
        public const string KindSession = "session";

        private static readonly string[] DayNames = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };

        private readonly SmartCharging _smart;
        private readonly int _minimumMilliamps;
        private readonly int _maximumMilliamps;
        private readonly ChargingSchedule _parsed = new ChargingSchedule();
        private readonly RecordRingCursor _cursor = new RecordRingCursor();
        private readonly char[] _reason = new char[ChargingHistory.ReasonChars];
        private readonly char[] _utc = new char[UtcText.Length];
        private bool _pagePending;
        private bool _pageSessions;
        private int _pageFrom;
        private int _pageCount;

        public SmartChargingCommands(SmartCharging smart, int minimumMilliamps, int maximumMilliamps)
        {
            _smart = smart;
            _minimumMilliamps = minimumMilliamps;
            _maximumMilliamps = maximumMilliamps;
        }

        public bool Handles(string topic, int nameStart)
        {
            return MqttTopics.TailEquals(topic, nameStart, SetScheduleCommand)
                || MqttTopics.TailEquals(topic, nameStart, ClearScheduleCommand)
                || MqttTopics.TailEquals(topic, nameStart, BoostCommand)
                || MqttTopics.TailEquals(topic, nameStart, CancelBoostCommand)
                || MqttTopics.TailEquals(topic, nameStart, SetDefaultHoursCommand)
                || MqttTopics.TailEquals(topic, nameStart, SetRandomDelayCommand)
                || MqttTopics.TailEquals(topic, nameStart, CancelRandomDelayCommand)
                || MqttTopics.TailEquals(topic, nameStart, ReadHistoryCommand);
        }

        public bool Execute(long now, string topic, int nameStart, JsonDocument doc, out string reason, out string detail, out int detailMember)
        {
            reason = null;
            detail = null;
            detailMember = -1;
            _pagePending = false;
            string refusal;
            bool done;
            if (MqttTopics.TailEquals(topic, nameStart, ReadHistoryCommand))
            {
                return ReadHistory(doc, out reason, out detail, out detailMember);
            }

            if (MqttTopics.TailEquals(topic, nameStart, SetScheduleCommand))
            {
                bool session;
                if (!CheckMembers(doc, 0, KindMember, WindowsMember, EnergyMember, null, out reason, out detailMember)
                    || !ReadKind(doc, out session, out reason, out detail)
                    || !ReadWindows(doc, 0, true, out reason, out detail, out detailMember)
                    || !ReadOptionalInt(doc, EnergyMember, 1, Boost.MaxEnergyWattHours, out _parsed.EnergyTargetWattHours, out reason, out detail))
                {
                    return false;
                }

                if (_parsed.Count == 0)
                {
                    // A schedule without windows would never charge: clear-schedule says that plainly.
                    reason = CommandProcessor.ReasonOutOfRange;
                    detail = WindowsMember;
                    return false;
                }

                done = _smart.SetSchedule(now, session, _parsed, out refusal);
            }
            else if (MqttTopics.TailEquals(topic, nameStart, ClearScheduleCommand))
            {
                bool session;
                if (!CheckMembers(doc, 0, KindMember, null, null, null, out reason, out detailMember) || !ReadKind(doc, out session, out reason, out detail))
                {
                    return false;
                }

                done = _smart.ClearSchedule(now, session, out refusal);
            }
            else if (MqttTopics.TailEquals(topic, nameStart, BoostCommand))
            {
                int duration;
                int energy;
                if (!CheckMembers(doc, 0, DurationMember, EnergyMember, null, null, out reason, out detailMember)
                    || !ReadOptionalInt(doc, DurationMember, 1, Boost.MaxDurationSeconds, out duration, out reason, out detail)
                    || !ReadOptionalInt(doc, EnergyMember, 1, Boost.MaxEnergyWattHours, out energy, out reason, out detail))
                {
                    return false;
                }

                done = _smart.StartBoost(now, duration, energy, out refusal);
            }
            else if (MqttTopics.TailEquals(topic, nameStart, SetDefaultHoursCommand))
            {
                if (!CheckMembers(doc, 0, WindowsMember, null, null, null, out reason, out detailMember))
                {
                    return false;
                }

                if (doc.Find(0, WindowsMember) < 0)
                {
                    reason = CommandProcessor.ReasonMissingField;
                    detail = WindowsMember;
                    return false;
                }

                if (!ReadWindows(doc, 0, false, out reason, out detail, out detailMember))
                {
                    return false;
                }

                done = _smart.SetDefaultHours(now, _parsed, out refusal);
            }
            else if (MqttTopics.TailEquals(topic, nameStart, SetRandomDelayCommand))
            {
                int max;
                if (!CheckMembers(doc, 0, MaxMember, null, null, null, out reason, out detailMember))
                {
                    return false;
                }

                if (doc.Find(0, MaxMember) < 0)
                {
                    reason = CommandProcessor.ReasonMissingField;
                    detail = MaxMember;
                    return false;
                }

                if (!ReadOptionalInt(doc, MaxMember, 0, RandomisedDelay.LimitMaxSeconds, out max, out reason, out detail))
                {
                    return false;
                }

                done = _smart.SetRandomDelayMax(now, max, out refusal);
            }
            else
            {
                bool boost = MqttTopics.TailEquals(topic, nameStart, CancelBoostCommand);
                if (!CheckMembers(doc, 0, null, null, null, null, out reason, out detailMember))
                {
                    return false;
                }

                done = boost ? _smart.CancelBoost(now, out refusal) : _smart.CancelRandomDelay(now, out refusal);
            }

            if (!done)
            {
                reason = CommandProcessor.ReasonRefused;
                detail = refusal;
            }

            return done;
        }

        public void WriteResult(JsonWriter result)
        {
            if (!_pagePending)
            {
                return;
            }

            _pagePending = false;
            ChargingHistory history = _smart.History;
            RecordRing ring = _pageSessions ? history.Sessions : history.Energy;
            result.Property(LogMember, _pageSessions ? LogSessions : LogEnergy);
            result.Property("oldest", ring.OldestSequence);
            result.Property("newest", ring.NewestSequence);
            ring.Seek(_cursor, _pageFrom);
            result.Name("entries");
            result.BeginArray();
            int written = 0;
            int sequence;
            int last = 0;
            while (written < _pageCount)
            {
                if (_pageSessions)
                {
                    int session;
                    uint start;
                    uint end;
                    int wattHours;
                    int peakWatts;
                    int reasonLength;
                    if (!history.TryReadSession(_cursor, out sequence, out session, out start, out end, out wattHours, out peakWatts, _reason, out reasonLength))
                    {
                        break;
                    }

                    // [seq, session, startUtc, endUtc, wh, peakW, reason]
                    result.BeginArray();
                    result.Number(sequence);
                    result.Number(session);
                    WriteUtc(result, start);
                    WriteUtc(result, end);
                    result.Number(wattHours);
                    result.Number(peakWatts);
                    result.String(_reason, 0, reasonLength);
                    result.EndArray();
                }
                else
                {
                    uint start;
                    int wattHours;
                    int flags;
                    if (!history.TryReadHalfHour(_cursor, out sequence, out start, out wattHours, out flags))
                    {
                        break;
                    }

                    // [seq, startUtc, wh, partial]
                    result.BeginArray();
                    result.Number(sequence);
                    WriteUtc(result, start);
                    result.Number(wattHours);
                    result.Number(flags & ChargingHistory.FlagPartial);
                    result.EndArray();
                }

                last = sequence;
                written++;
            }

            result.EndArray();

            // Where the next page starts (0 when this page reached the newest entry).
            result.Property("next", written > 0 && last < ring.NewestSequence ? last + 1 : 0);
        }

        // {"log": "sessions"|"energy", "from": sequence (optional), "count": 1..page (optional)}: validated here, read in WriteResult.
        private bool ReadHistory(JsonDocument doc, out string reason, out string detail, out int detailMember)
        {
            detail = null;
            if (!CheckMembers(doc, 0, LogMember, FromMember, CountMember, null, out reason, out detailMember))
            {
                return false;
            }

            int log = doc.Find(0, LogMember);
            if (log < 0)
            {
                return Fail(CommandProcessor.ReasonMissingField, LogMember, out reason, out detail);
            }

            if (doc.GetKind(log) != JsonKind.String)
            {
                return Fail(CommandProcessor.ReasonWrongType, LogMember, out reason, out detail);
            }

            bool sessions = doc.StringEquals(log, LogSessions);
            if (!sessions && !doc.StringEquals(log, LogEnergy))
            {
                return Fail(CommandProcessor.ReasonOutOfRange, LogMember, out reason, out detail);
            }

            int page = sessions ? MaxSessionsPerPage : MaxHalfHoursPerPage;
            int from;
            int count;
            if (!ReadOptionalInt(doc, FromMember, 1, int.MaxValue, out from, out reason, out detail)
                || !ReadOptionalInt(doc, CountMember, 1, page, out count, out reason, out detail))
            {
                return false;
            }

            if (_smart.History == null)
            {
                return Fail(CommandProcessor.ReasonRefused, "no-history", out reason, out detail);
            }

            _pagePending = true;
            _pageSessions = sessions;
            _pageFrom = from;
            _pageCount = count == 0 ? page : count;
            return true;
        }

        private void WriteUtc(JsonWriter result, uint utcSeconds)
        {
            if (utcSeconds == 0)
            {
                result.Null();
                return;
            }

            UtcText.Write(utcSeconds, _utc, 0);
            result.String(_utc, 0, UtcText.Length);
        }

        // Every member of the object is "id" (at the root) or one of the allowed names.
        private static bool CheckMembers(JsonDocument doc, int obj, string a, string b, string c, string d, out string reason, out int detailMember)
        {
            for (int i = obj + 1; i < doc.ValueCount; i++)
            {
                if (doc.GetParent(i) != obj)
                {
                    continue;
                }

                if ((obj == 0 && doc.NameEquals(i, CommandProcessor.IdMember)) || (a != null && doc.NameEquals(i, a)) || (b != null && doc.NameEquals(i, b))
                    || (c != null && doc.NameEquals(i, c)) || (d != null && doc.NameEquals(i, d)))
                {
                    continue;
                }

                reason = CommandProcessor.ReasonUnknownField;
                detailMember = i;
                return false;
            }

            reason = null;
            detailMember = -1;
            return true;
        }

        private static bool ReadKind(JsonDocument doc, out bool session, out string reason, out string detail)
        {
            session = false;
            int kind = doc.Find(0, KindMember);
            if (kind < 0)
            {
                return Fail(CommandProcessor.ReasonMissingField, KindMember, out reason, out detail);
            }

            if (doc.GetKind(kind) != JsonKind.String)
            {
                return Fail(CommandProcessor.ReasonWrongType, KindMember, out reason, out detail);
            }

            session = doc.StringEquals(kind, KindSession);
            if (!session && !doc.StringEquals(kind, KindDefault))
            {
                return Fail(CommandProcessor.ReasonOutOfRange, KindMember, out reason, out detail);
            }

            reason = null;
            detail = null;
            return true;
        }

        // Absent: value 0. Present: a whole number in min..max.
        private static bool ReadOptionalInt(JsonDocument doc, string name, int min, int max, out int value, out string reason, out string detail)
        {
            value = 0;
            int member = doc.Find(0, name);
            if (member < 0)
            {
                reason = null;
                detail = null;
                return true;
            }

            if (doc.GetKind(member) != JsonKind.Number)
            {
                return Fail(CommandProcessor.ReasonWrongType, name, out reason, out detail);
            }

            if (!doc.TryGetInt32(member, out value) || value < min || value > max)
            {
                value = 0;
                return Fail(CommandProcessor.ReasonOutOfRange, name, out reason, out detail);
            }

            reason = null;
            detail = null;
            return true;
        }

        // "windows": [{"start":"HH:MM","end":"HH:MM","days":"mon-fri,sun"[,"amps":n]}...] into _parsed.
        private bool ReadWindows(JsonDocument doc, int root, bool withAmps, out string reason, out string detail, out int detailMember)
        {
            _parsed.Clear();
            detailMember = -1;
            int windows = doc.Find(root, WindowsMember);
            if (windows < 0)
            {
                return Fail(CommandProcessor.ReasonMissingField, WindowsMember, out reason, out detail);
            }

            if (doc.GetKind(windows) != JsonKind.Array)
            {
                return Fail(CommandProcessor.ReasonWrongType, WindowsMember, out reason, out detail);
            }

            if (doc.GetChildCount(windows) > ChargingSchedule.MaxWindows)
            {
                return Fail(CommandProcessor.ReasonOutOfRange, WindowsMember, out reason, out detail);
            }

            for (int w = windows + 1; w < doc.ValueCount; w++)
            {
                if (doc.GetParent(w) != windows)
                {
                    continue;
                }

                if (doc.GetKind(w) != JsonKind.Object)
                {
                    return Fail(CommandProcessor.ReasonWrongType, WindowsMember, out reason, out detail);
                }

                if (!CheckMembers(doc, w, StartMember, EndMember, DaysMember, withAmps ? AmpsMember : null, out reason, out detailMember))
                {
                    detail = null;
                    return false;
                }

                int start;
                int end;
                int days;
                int milliamps = 0;
                if (!ReadMinute(doc, w, StartMember, out start, out reason, out detail)
                    || !ReadMinute(doc, w, EndMember, out end, out reason, out detail)
                    || !ReadDays(doc, w, out days, out reason, out detail))
                {
                    return false;
                }

                if (withAmps)
                {
                    int amps = doc.Find(w, AmpsMember);
                    long scaled;
                    if (amps < 0)
                    {
                        return Fail(CommandProcessor.ReasonMissingField, AmpsMember, out reason, out detail);
                    }

                    if (doc.GetKind(amps) != JsonKind.Number)
                    {
                        return Fail(CommandProcessor.ReasonWrongType, AmpsMember, out reason, out detail);
                    }

                    if (!doc.TryGetScaled(amps, 3, out scaled) || scaled < _minimumMilliamps || scaled > _maximumMilliamps)
                    {
                        return Fail(CommandProcessor.ReasonOutOfRange, AmpsMember, out reason, out detail);
                    }

                    milliamps = (int)scaled;
                }

                _parsed.Add(start, end, days, milliamps);
            }

            reason = null;
            detail = null;
            return true;
        }

        // "HH:MM", 00:00..23:59; "24:00" is accepted as the end of the day (= 00:00).
        private static bool ReadMinute(JsonDocument doc, int obj, string name, out int minute, out string reason, out string detail)
        {
            minute = 0;
            int member = doc.Find(obj, name);
            if (member < 0)
            {
                return Fail(CommandProcessor.ReasonMissingField, name, out reason, out detail);
            }

            if (doc.GetKind(member) != JsonKind.String)
            {
                return Fail(CommandProcessor.ReasonWrongType, name, out reason, out detail);
            }

            char[] c = doc.Chars;
            int s = doc.GetStringStart(member);
            if (doc.GetStringLength(member) != 5 || c[s + 2] != ':' || !IsDigit(c[s]) || !IsDigit(c[s + 1]) || !IsDigit(c[s + 3]) || !IsDigit(c[s + 4]))
            {
                return Fail(CommandProcessor.ReasonOutOfRange, name, out reason, out detail);
            }

            int hours = ((c[s] - '0') * 10) + (c[s + 1] - '0');
            int minutes = ((c[s + 3] - '0') * 10) + (c[s + 4] - '0');
            if (minutes > 59 || hours > 24 || (hours == 24 && minutes != 0))
            {
                return Fail(CommandProcessor.ReasonOutOfRange, name, out reason, out detail);
            }

            minute = (hours * 60 + minutes) % ChargingWindow.MinutesPerDay;
            reason = null;
            detail = null;
            return true;
        }

        // "mon,wed,fri", "mon-fri", "sat-sun,wed", "all": comma-separated days or ranges (a range may wrap: "fri-mon").
        private static bool ReadDays(JsonDocument doc, int obj, out int mask, out string reason, out string detail)
        {
            mask = 0;
            int member = doc.Find(obj, DaysMember);
            if (member < 0)
            {
                return Fail(CommandProcessor.ReasonMissingField, DaysMember, out reason, out detail);
            }

            if (doc.GetKind(member) != JsonKind.String)
            {
                return Fail(CommandProcessor.ReasonWrongType, DaysMember, out reason, out detail);
            }

            if (doc.StringEquals(member, "all"))
            {
                mask = ChargingWindow.EveryDay;
                reason = null;
                detail = null;
                return true;
            }

            char[] c = doc.Chars;
            int at = doc.GetStringStart(member);
            int end = at + doc.GetStringLength(member);
            while (true)
            {
                int first = Day(c, at, end);
                if (first < 0)
                {
                    return Fail(CommandProcessor.ReasonOutOfRange, DaysMember, out reason, out detail);
                }

                at += 3;
                int last = first;
                if (at < end && c[at] == '-')
                {
                    last = Day(c, at + 1, end);
                    if (last < 0)
                    {
                        return Fail(CommandProcessor.ReasonOutOfRange, DaysMember, out reason, out detail);
                    }

                    at += 4;
                }

                for (int d = first; ; d = (d + 1) % 7)
                {
                    mask |= 1 << d;
                    if (d == last)
                    {
                        break;
                    }
                }

                if (at == end)
                {
                    break;
                }

                if (c[at] != ',')
                {
                    mask = 0;
                    return Fail(CommandProcessor.ReasonOutOfRange, DaysMember, out reason, out detail);
                }

                at++;
            }

            reason = null;
            detail = null;
            return true;
        }

        private static int Day(char[] c, int at, int end)
        {
            if (end - at < 3)
            {
                return -1;
            }

            for (int d = 0; d < 7; d++)
            {
                string name = DayNames[d];
                if (c[at] == name[0] && c[at + 1] == name[1] && c[at + 2] == name[2])
                {
                    return d;
                }
            }

            return -1;
        }

        private static bool IsDigit(char c) => c >= '0' && c <= '9';

        private static bool Fail(string why, string member, out string reason, out string detail)
        {
            reason = why;
            detail = member;
            return false;
        }
    }
}
