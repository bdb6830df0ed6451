/*
 * Portable metering core (see mains_core.h and docs/metering.md, "Native core").
 *
 * Time inside the core is counted in units of 1/4096 of an output step (100 us / 4096 = 24.4 ns),
 * so a crossing interpolated between two samples is a whole number of units and the trapezoid
 * integrals need no division per sample. Bounds (int64, 9.2e18): a centred sample |c| <= 3300 x 256
 * = 844 800 (Q8 pin mV), c^2 <= 7.2e11; a window holds <= 216 samples (46.5 Hz + 1 step at 10 kHz),
 * so 2 x 4096 x sum(c^2) <= 1.3e18.
 */
#include "mains_core.h"

#define STEP_T 4096
#define HALF_INPUT_T (STEP_T / MC_DECIMATION)
#define US_TO_T(us) ((int64_t)(us) * STEP_T / MC_STEP_US)
#define SHIFT 8
/* Centre of the FIR window, in input frames behind the newest (group delay). */
#define FIR_DELAY ((MC_FIR_TAPS - 1) / 2)
/* First tracked cycles move the bias by 1/BIAS_DIVISOR of the residual mean: time constant 16 cycles. */
#define BIAS_DIVISOR 16

/* 19-tap half-band low-pass, Blackman-windowed sinc with its cut-off at 5 kHz for 20 kHz input,
   rounded to Q15 with the centre tap adjusted so the taps sum to exactly 32768 (unity gain at DC
   and 50 Hz). Every other tap is zero. Response (tests/fir_test): within +-0.01 % to 2.5 kHz,
   below -75 dB from 7.8 kHz. */
const int16_t mc_fir_taps[MC_FIR_TAPS] = {
    38, 0, -238, 0, 864, 0, -2559, 0, 10087, 16384, 10087, 0, -2559, 0, 864, 0, -238, 0, 38
};

static int64_t divide_rounded(int64_t n, int64_t d)
{
    if (d < 0) {
        n = -n;
        d = -d;
    }
    return n >= 0 ? (n + d / 2) / d : -((-n + d / 2) / d);
}

static void reset_raw(mc_core *core)
{
    for (int i = 0; i < MC_MAINS_CHANNELS; i++) {
        core->raw_min[i] = INT16_MAX;
        core->raw_max[i] = INT16_MIN;
        core->raw_rail[i] = 0;
    }
    core->raw_count = 0;
}

static void restart_window(mc_core *core, int64_t start_t, int32_t at_crossing)
{
    core->window_start_t = start_t;
    core->window_at_crossing = at_crossing;
    core->window_samples = 0;
    for (int i = 0; i < MC_MAINS_CHANNELS; i++) {
        core->sum_sq[i] = core->sum_v[i] = core->edge_sq[i] = core->edge_v[i] = 0;
    }
    core->sum_p[0] = core->sum_p[1] = core->edge_p[0] = core->edge_p[1] = 0;
}

void mc_init(mc_core *core)
{
    uint8_t *bytes = (uint8_t *)core;
    for (uint32_t i = 0; i < sizeof(*core); i++) {
        bytes[i] = 0;
    }
    core->sample = core->buf_a;
    core->previous = core->buf_b;
    for (int i = 0; i < MC_MAINS_CHANNELS; i++) {
        core->bias_q8[i] = MC_BIAS_PIN_MV << SHIFT;
    }
    core->tracked_period_t = US_TO_T(MC_NOMINAL_PERIOD_US);
    core->last_crossing_t = INT64_MIN / 2;
    reset_raw(core);
    mc_start(core, 0);
    mc_read_pilot(core, &core->pilot);
}

void mc_start(mc_core *core, int64_t first_frame_us)
{
    core->start_us = first_frame_us;
    core->input_index = 0;
    core->history_pos = 0;
    core->history_fill = 0;
    core->phase = 0;
    core->have_previous = 0;
    core->crossing_count = 0;
    core->armed = 0;
    core->last_crossing_t = INT64_MIN / 2;
    core->window_restarted = 1;
    restart_window(core, 0, 0);
}

int64_t mc_next_frame_us(const mc_core *core)
{
    return core->start_us + core->input_index * MC_INPUT_PERIOD_US;
}

static int64_t t_to_us(const mc_core *core, int64_t t)
{
    return core->start_us + divide_rounded(t * MC_STEP_US, STEP_T);
}

static void accumulate(mc_core *core)
{
    int32_t *s = core->sample;
    for (int i = 0; i < MC_MAINS_CHANNELS; i++) {
        int64_t c = s[i];
        core->sum_sq[i] += c * c;
        core->sum_v[i] += c;
    }
    core->sum_p[0] += (int64_t)s[MC_LINE_NEUTRAL] * s[MC_EV_CURRENT];
    core->sum_p[1] += (int64_t)s[MC_LINE_NEUTRAL] * s[MC_CT_CLAMP];
    core->sample = core->previous;
    core->previous = s;
    core->window_samples++;
}

/* A window starting on a sample owns only the half-step after it: sign -1 when the sample is in
   the sums (remove the half before it), +1 when it is not (add the half after it). */
static void start_window_on_previous(mc_core *core, int32_t sign)
{
    int32_t *first = core->previous;
    for (int i = 0; i < MC_MAINS_CHANNELS; i++) {
        int64_t c = first[i];
        core->edge_sq[i] = sign * c * c * STEP_T;
        core->edge_v[i] = sign * c * STEP_T;
    }
    core->edge_p[0] = sign * (int64_t)first[MC_LINE_NEUTRAL] * first[MC_EV_CURRENT] * STEP_T;
    core->edge_p[1] = sign * (int64_t)first[MC_LINE_NEUTRAL] * first[MC_CT_CLAMP] * STEP_T;
}

static int64_t mean_tracked_period(const mc_core *core)
{
    int32_t n = MC_FREQUENCY_CYCLES + 1;
    int32_t oldest = (core->crossing_newest - core->crossing_count + 1 + n) % n;
    return divide_rounded(core->crossings[core->crossing_newest] - core->crossings[oldest], core->crossing_count - 1);
}

/* Records a crossing; returns the period to normalise by: the mean of up to 8 consecutive locked
   periods (an interpolated crossing's error then divides by 8), restarted on a real step. */
static int64_t track_crossing(mc_core *core, int64_t crossing_t, int64_t period_t, int32_t locked)
{
    int32_t n = MC_FREQUENCY_CYCLES + 1;
    if (!locked) {
        core->crossing_count = 0;
    } else if (core->crossing_count >= 2) {
        int64_t difference = period_t - mean_tracked_period(core);
        if (difference > US_TO_T(MC_PERIOD_STEP_US) || difference < -US_TO_T(MC_PERIOD_STEP_US)) {
            core->crossing_count = 1;
        }
    }
    core->crossing_newest = (core->crossing_newest + 1) % n;
    core->crossings[core->crossing_newest] = crossing_t;
    if (core->crossing_count < n) {
        core->crossing_count++;
    }
    return core->crossing_count >= 2 ? mean_tracked_period(core) : period_t;
}

static void compute_cycle(mc_core *core, int64_t end_t, int64_t period_t, int64_t normalising_t, int32_t locked)
{
    mc_cycle *c;
    if (core->queue_count == MC_QUEUE) {
        core->queue_head = (core->queue_head + 1) % MC_QUEUE;
        core->queue_count--;
        core->dropped++;
    }
    c = &core->queue[(core->queue_head + core->queue_count) % MC_QUEUE];
    core->queue_count++;

    int64_t twice = 2 * normalising_t;
    int32_t flags = core->window_restarted ? MC_FLAG_RESTARTED : 0;
    core->window_restarted = 0;
    for (int i = 0; i < MC_MAINS_CHANNELS; i++) {
        int64_t mean_q8 = divide_rounded(core->win_v[i], twice);
        c->mean_q8[i] = (int32_t)mean_q8;
        c->mean_square_q16[i] = core->win_sq[i] / twice;
        c->bias_q8[i] = core->bias_q8[i];

        /* Stuck: a live converter always shows noise; a whole cycle within 1 mV is a dead channel
           or a frozen DMA buffer. At a rail: clipped or disconnected to a supply. */
        if (core->raw_count > 0) {
            if (core->raw_max[i] - core->raw_min[i] <= 1) {
                flags |= 1 << (MC_FLAG_STUCK_SHIFT + i);
            }
            if (2 * core->raw_rail[i] >= core->raw_count) {
                flags |= 1 << (MC_FLAG_RAIL_SHIFT + i);
            }
        }

        /* Bias: the channels that carry no DC by nature (mains voltage, CT currents) follow the
           cycle's mean slowly and only within the front end's tolerance, which removes their
           divider's and the converter's offsets. CPC-TTref never follows its own mean (a DC part
           of the touch voltage must be measured, not tracked away): below it takes the mean bias
           of L-TTref and the two CTs, which cannot carry DC even in a PEN fault, so it follows the
           converter's common offset, gain and drift but not the signal. */
        if (i != MC_CPC_TTREF) {
            int32_t step = core->bias_learnt ? (int32_t)(mean_q8 / BIAS_DIVISOR) : (int32_t)mean_q8;
            int32_t target = core->bias_q8[i] + step;
            int32_t low = (MC_BIAS_PIN_MV - MC_BIAS_TOLERANCE_MV) << SHIFT;
            int32_t high = (MC_BIAS_PIN_MV + MC_BIAS_TOLERANCE_MV) << SHIFT;
            target = target < low ? low : (target > high ? high : target);
            core->bias_step_q8[i] = target - core->bias_q8[i];
        }
    }
    {
        int32_t reference = (core->bias_q8[MC_LINE_TTREF] + core->bias_step_q8[MC_LINE_TTREF]
            + core->bias_q8[MC_CT_CLAMP] + core->bias_step_q8[MC_CT_CLAMP]
            + core->bias_q8[MC_EV_CURRENT] + core->bias_step_q8[MC_EV_CURRENT]) / 3;
        core->bias_step_q8[MC_CPC_TTREF] = reference - core->bias_q8[MC_CPC_TTREF];
    }
    core->bias_learnt = 1;
    reset_raw(core);

    c->ev_power_q16 = core->win_p[0] / twice;
    c->house_power_q16 = core->win_p[1] / twice;
    c->end_us = t_to_us(core, end_t);
    c->period_us = (int32_t)divide_rounded(period_t * MC_STEP_US, STEP_T);
    c->locked = locked;
    c->sample_count = core->window_samples;
    c->frequency_mhz = 0;
    if (locked && core->crossing_count >= 2) {
        int32_t n = MC_FREQUENCY_CYCLES + 1;
        int32_t oldest = (core->crossing_newest - core->crossing_count + 1 + n) % n;
        int64_t span = core->crossings[core->crossing_newest] - core->crossings[oldest];
        /* mHz = periods x 1e9 / span_us, span_us = span x 100 / 4096. */
        c->frequency_mhz = (int32_t)divide_rounded((int64_t)(core->crossing_count - 1) * 1000000000LL * STEP_T, span * MC_STEP_US);
        core->tracked_period_t = normalising_t;
    }
    core->sequence = core->sequence == INT32_MAX ? 1 : core->sequence + 1;
    c->sequence = core->sequence;
    c->flags = flags;
    c->dropped = core->dropped;
    c->reserved = 0;
}

static void apply_bias_steps(mc_core *core)
{
    for (int i = 0; i < MC_MAINS_CHANNELS; i++) {
        core->bias_q8[i] += core->bias_step_q8[i];
        core->bias_step_q8[i] = 0;
    }
}

/* The step from the previous sample to this one holds the rising L-N crossing at before/4096 of
   it: close the cycle there and open the next (same corrections as the managed meter:
   2 x integral = 2 step sum + head + tail, tail = (a^2 + x^2) before - a^2 step,
   head = (x^2 + b^2) after - b^2 step). Runs before this sample is accumulated. */
static void close_at_crossing(mc_core *core, int64_t before)
{
    int64_t after = STEP_T - before;
    int64_t crossing_t = core->previous_t + before;
    int32_t *prev = core->previous;
    int32_t *now = core->sample;
    for (int i = 0; i < MC_MAINS_CHANNELS; i++) {
        int64_t a = prev[i];
        int64_t x = a + divide_rounded(((int64_t)now[i] - a) * before, STEP_T);
        core->crossing[i] = (int32_t)x;
        core->win_sq[i] = 2 * STEP_T * core->sum_sq[i] + core->edge_sq[i] + (a * a + x * x) * before - a * a * STEP_T;
        core->win_v[i] = 2 * STEP_T * core->sum_v[i] + core->edge_v[i] + (a + x) * before - a * STEP_T;
    }
    for (int k = 0; k < 2; k++) {
        int other = k == 0 ? MC_EV_CURRENT : MC_CT_CLAMP;
        int64_t p_before = (int64_t)prev[MC_LINE_NEUTRAL] * prev[other];
        int64_t p_at = (int64_t)core->crossing[MC_LINE_NEUTRAL] * core->crossing[other];
        core->win_p[k] = 2 * STEP_T * core->sum_p[k] + core->edge_p[k] + (p_before + p_at) * before - p_before * STEP_T;
    }

    int64_t period = crossing_t - core->window_start_t;
    if (core->window_at_crossing) {
        int32_t in_range = period >= US_TO_T(MC_MIN_PERIOD_US) && period <= US_TO_T(MC_MAX_PERIOD_US);
        int64_t normalising = track_crossing(core, crossing_t, period, in_range);
        compute_cycle(core, crossing_t, period, normalising, in_range);
    } else {
        track_crossing(core, crossing_t, period, 0);
        if (period >= US_TO_T(MC_MIN_PARTIAL_US)) {
            compute_cycle(core, crossing_t, period, period, 0);
        }
    }

    core->armed = 0;
    core->last_crossing_t = crossing_t;
    restart_window(core, crossing_t, 1);

    /* The new window starts on the new bias: move this sample and the crossing values onto it. */
    for (int i = 0; i < MC_MAINS_CHANNELS; i++) {
        int64_t step = core->bias_step_q8[i];
        int64_t x = core->crossing[i] - step;
        int64_t b = now[i] - step;
        now[i] = (int32_t)b;
        core->crossing[i] = (int32_t)x;
        core->edge_sq[i] = (x * x + b * b) * after - b * b * STEP_T;
        core->edge_v[i] = (x + b) * after - b * STEP_T;
    }
    for (int k = 0; k < 2; k++) {
        int other = k == 0 ? MC_EV_CURRENT : MC_CT_CLAMP;
        int64_t p_after = (int64_t)now[MC_LINE_NEUTRAL] * now[other];
        int64_t p_at = (int64_t)core->crossing[MC_LINE_NEUTRAL] * core->crossing[other];
        core->edge_p[k] = (p_at + p_after) * after - p_after * STEP_T;
    }
    apply_bias_steps(core);
}

/* One decimated sample (already centred in core->sample) at time t. */
static void process(mc_core *core, int64_t t)
{
    if (!core->have_previous) {
        core->have_previous = 1;
        restart_window(core, t, 0);
        core->crossing_count = 0;
        core->armed = 0;
        accumulate(core);
        core->previous_t = t;
        start_window_on_previous(core, -1);
        return;
    }

    int32_t line_now = core->sample[MC_LINE_NEUTRAL];
    int32_t line_before = core->previous[MC_LINE_NEUTRAL];
    if (line_now < -(MC_ARM_PIN_MV << SHIFT)) {
        core->armed = 1;
    }

    int32_t crossing = core->armed && line_before < 0 && line_now >= 0
        && t - core->last_crossing_t >= US_TO_T(MC_HOLDOFF_US);
    if (crossing) {
        /* f = -a / (b - a) of the step, in 1/4096. */
        int64_t a = line_before;
        int64_t b = line_now;
        int64_t before = divide_rounded(-a * STEP_T, b - a);
        close_at_crossing(core, before);
    }

    accumulate(core);
    core->previous_t = t;

    if (!crossing) {
        int64_t elapsed = t - core->window_start_t;
        int32_t timed_out = core->window_at_crossing
            ? elapsed > US_TO_T(MC_MAX_PERIOD_US) + STEP_T
            : elapsed >= core->tracked_period_t - STEP_T / 2;
        if (timed_out) {
            /* The window ends on this sample (now previous): its half-step after belongs to the next. */
            int32_t *last = core->previous;
            for (int i = 0; i < MC_MAINS_CHANNELS; i++) {
                int64_t c = last[i];
                core->win_sq[i] = 2 * STEP_T * core->sum_sq[i] + core->edge_sq[i] - c * c * STEP_T;
                core->win_v[i] = 2 * STEP_T * core->sum_v[i] + core->edge_v[i] - c * STEP_T;
            }
            for (int k = 0; k < 2; k++) {
                int other = k == 0 ? MC_EV_CURRENT : MC_CT_CLAMP;
                int64_t p = (int64_t)last[MC_LINE_NEUTRAL] * last[other];
                core->win_p[k] = 2 * STEP_T * core->sum_p[k] + core->edge_p[k] - p * STEP_T;
            }
            compute_cycle(core, t, elapsed, elapsed, 0);
            core->crossing_count = 0;
            restart_window(core, t, 0);
            for (int i = 0; i < MC_MAINS_CHANNELS; i++) {
                last[i] -= core->bias_step_q8[i];
            }
            apply_bias_steps(core);
            start_window_on_previous(core, 1);
        }
    }
}

static void pilot_sample(mc_core *core, int32_t pin_mv)
{
    mc_pilot *p = &core->pilot;
    if (pin_mv > MC_BIAS_PIN_MV) {
        core->pilot_high_sum += pin_mv;
        p->high_count++;
        if (pin_mv < p->high_min_pin_mv) {
            p->high_min_pin_mv = pin_mv;
        }
    } else {
        core->pilot_low_sum += pin_mv;
        p->low_count++;
        if (pin_mv > p->low_max_pin_mv) {
            p->low_max_pin_mv = pin_mv;
        }
    }
}

void mc_read_pilot(mc_core *core, mc_pilot *out)
{
    mc_pilot *p = &core->pilot;
    mc_pilot result = *p;
    result.high_mean_pin_mv = p->high_count > 0 ? (int32_t)divide_rounded(core->pilot_high_sum, p->high_count) : 0;
    result.low_mean_pin_mv = p->low_count > 0 ? (int32_t)divide_rounded(core->pilot_low_sum, p->low_count) : 0;
    if (p->high_count == 0) {
        result.high_min_pin_mv = 0;
    }
    if (p->low_count == 0) {
        result.low_max_pin_mv = 0;
    }
    *out = result;
    core->pilot_high_sum = 0;
    core->pilot_low_sum = 0;
    p->high_count = 0;
    p->low_count = 0;
    p->high_min_pin_mv = MC_FULL_SCALE_MV + 1;
    p->low_max_pin_mv = -1;
    p->high_mean_pin_mv = 0;
    p->low_mean_pin_mv = 0;
}

void mc_push(mc_core *core, const int16_t *frames, int32_t frame_count)
{
    for (int32_t f = 0; f < frame_count; f++) {
        const int16_t *frame = frames + (int64_t)f * MC_CHANNELS;
        int32_t pos = core->history_pos;
        for (int i = 0; i < MC_MAINS_CHANNELS; i++) {
            int16_t x = frame[i];
            core->history[i][pos] = x;
            core->history[i][pos + MC_FIR_TAPS] = x;
            if (x < core->raw_min[i]) {
                core->raw_min[i] = x;
            }
            if (x > core->raw_max[i]) {
                core->raw_max[i] = x;
            }
            if (x <= MC_RAIL_MARGIN_MV || x >= MC_FULL_SCALE_MV - MC_RAIL_MARGIN_MV) {
                core->raw_rail[i]++;
            }
        }
        core->raw_count++;
        pilot_sample(core, frame[MC_PILOT]);

        core->history_pos = pos + 1 == MC_FIR_TAPS ? 0 : pos + 1;
        if (core->history_fill < MC_FIR_TAPS) {
            core->history_fill++;
        }
        int64_t index = core->input_index++;
        core->phase = core->phase + 1 == MC_DECIMATION ? 0 : core->phase + 1;
        if (core->phase != 0 || core->history_fill < MC_FIR_TAPS) {
            continue;
        }

        /* The window is history[pos+1 .. pos+19] (oldest first); symmetric, every other tap 0:
           y = 16384 x[9] + sum over j = 0, 2, 4, 6, 8 of h[j] (x[j] + x[18 - j]), in Q15 mV. */
        for (int i = 0; i < MC_MAINS_CHANNELS; i++) {
            const int16_t *x = &core->history[i][core->history_pos];
            int32_t acc = 16384 * (int32_t)x[9];
            for (int j = 0; j < 9; j += 2) {
                acc += mc_fir_taps[j] * ((int32_t)x[j] + x[MC_FIR_TAPS - 1 - j]);
            }
            /* Q15 -> Q8 (x 256 / 32768), rounded; then centre on the bias. */
            core->sample[i] = ((acc + 64) >> 7) - core->bias_q8[i];
        }
        /* Time of the filter's centre: FIR_DELAY frames before the newest, in 1/4096 steps. */
        process(core, (index - FIR_DELAY) * HALF_INPUT_T);
    }
}

int32_t mc_pop_cycle(mc_core *core, mc_cycle *out)
{
    if (core->queue_count == 0) {
        return 0;
    }
    *out = core->queue[core->queue_head];
    core->queue_head = (core->queue_head + 1) % MC_QUEUE;
    core->queue_count--;
    return 1;
}
