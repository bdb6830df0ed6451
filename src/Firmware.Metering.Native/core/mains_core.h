/*
 * Portable metering core: the per-sample work of the mains meter, in C, shared by the ESP32
 * (fed by ESP-IDF's ADC continuous driver, esp32/) and the host (fed by the simulator's virtual
 * board through P/Invoke, host/). No platform headers: only <stdint.h>.
 *
 * Input: frames of MC_CHANNELS pin voltages (millivolts at the ADC pin, 0..3300), one frame every
 * MC_INPUT_PERIOD_US (20 kHz per channel). Per channel a 19-tap half-band FIR low-pass filters and
 * decimates by 2 to 10 kHz (flat to ±0.01 % up to 2.5 kHz, below -75 dB from 7.8 kHz: harmonics to
 * the 40th at 53 Hz, 2.12 kHz, are kept and nothing between 7.8 and 10 kHz folds onto them; the
 * board's RC anti-alias filter attenuates what lies above 10 kHz). Per mains cycle (rising L-N
 * zero crossing to the next, interpolated) it accumulates squares, means and the L-N x current
 * products and hands out one mc_cycle record. See docs/metering.md.
 *
 * Fixed point throughout, no allocation, no floating point.
 */
#ifndef INDRA_MAINS_CORE_H
#define INDRA_MAINS_CORE_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Channels of a frame, in this order (same numbering as the managed AnalogChannel). */
enum {
    MC_LINE_NEUTRAL = 0,
    MC_LINE_TTREF = 1,
    MC_CPC_TTREF = 2,
    MC_CT_CLAMP = 3,
    MC_EV_CURRENT = 4,
    MC_PILOT = 5,
    MC_MAINS_CHANNELS = 5,
    MC_CHANNELS = 6
};

#define MC_INPUT_PERIOD_US 50          /* 20 kHz per channel */
#define MC_DECIMATION 2                /* accumulation at 10 kHz */
#define MC_STEP_US (MC_INPUT_PERIOD_US * MC_DECIMATION)
#define MC_FIR_TAPS 19
#define MC_BIAS_PIN_MV 1650            /* nominal mid-rail bias of every AC channel */
#define MC_BIAS_TOLERANCE_MV 120       /* the tracked bias never leaves nominal +- this: 1 % bias divider (+-33 mV), converter offset and gain at mid-scale (+-10, +-33 mV), drift */
#define MC_FULL_SCALE_MV 3300
#define MC_RAIL_MARGIN_MV 3            /* a sample this close to 0 or full scale is at a rail */
#define MC_MIN_PERIOD_US 18692         /* 53.5 Hz: shortest locked period */
#define MC_MAX_PERIOD_US 21505         /* 46.5 Hz: longest locked period */
#define MC_NOMINAL_PERIOD_US 20000
#define MC_HOLDOFF_US 15000            /* a rising crossing closer than this to the last is ignored */
#define MC_ARM_PIN_MV 25               /* L-N must go this far below bias before a rising crossing counts */
#define MC_MIN_PARTIAL_US 10000        /* shorter partial windows ending on a re-lock are dropped */
#define MC_FREQUENCY_CYCLES 8
#define MC_PERIOD_STEP_US 200
#define MC_QUEUE 4

/* Flags of a cycle record. */
#define MC_FLAG_RESTARTED 0x1          /* the window began after a restart (start or gap) */
#define MC_FLAG_STUCK_SHIFT 8          /* bit 8 + channel: the channel did not move by more than 1 mV all cycle */
#define MC_FLAG_RAIL_SHIFT 16          /* bit 16 + channel: half or more of its samples sat at a rail */

/* One mains cycle's sums, as handed to the managed meter. Field order: all 64-bit first. */
typedef struct mc_cycle {
    int64_t end_us;                    /* interpolated crossing (or closing sample) on the sample clock, us */
    int64_t mean_square_q16[MC_MAINS_CHANNELS]; /* mean of (sample - bias)^2, Q16 pin mV^2: DC included */
    int64_t ev_power_q16;              /* mean of L-N x EV current, Q16 pin mV^2 */
    int64_t house_power_q16;           /* mean of L-N x CT clamp, Q16 pin mV^2 */
    int32_t period_us;                 /* length of the window */
    int32_t frequency_mhz;             /* averaged over up to 8 locked periods; 0 when not locked */
    int32_t locked;                    /* 1: two consecutive crossings 46.5..53.5 Hz apart */
    int32_t sample_count;              /* accumulated samples (10 kHz) */
    int32_t sequence;                  /* 1, 2, ... per record since init */
    int32_t flags;                     /* MC_FLAG_* */
    int32_t mean_q8[MC_MAINS_CHANNELS];/* mean of (sample - bias), Q8 pin mV */
    int32_t bias_q8[MC_MAINS_CHANNELS];/* bias removed during the window, Q8 pin mV */
    int32_t dropped;                   /* records overwritten before they were read, since init */
    int32_t reserved;
} mc_cycle;

/* Pilot feedback levels over a window (since the last mc_read_pilot). */
typedef struct mc_pilot {
    int32_t high_mean_pin_mv;          /* mean of the samples above the bias; 0 when none */
    int32_t low_mean_pin_mv;           /* mean of the samples at or below the bias; 0 when none */
    int32_t high_count;
    int32_t low_count;
    int32_t high_min_pin_mv;           /* lowest sample above the bias (a sagging high level) */
    int32_t low_max_pin_mv;            /* highest sample at or below the bias */
} mc_pilot;

typedef struct mc_core {
    /* FIR history, doubled so the window is always contiguous. */
    int16_t history[MC_MAINS_CHANNELS][2 * MC_FIR_TAPS];
    int32_t history_pos;
    int32_t history_fill;
    int32_t phase;
    int64_t input_index;               /* frames since start */
    int64_t start_us;

    int32_t bias_q8[MC_MAINS_CHANNELS];
    int32_t bias_step_q8[MC_MAINS_CHANNELS];
    int32_t bias_learnt;               /* the first cycle moves the bias all the way (within tolerance) */
    int32_t buf_a[MC_MAINS_CHANNELS];
    int32_t buf_b[MC_MAINS_CHANNELS];
    int32_t *sample;                   /* this output sample, centred, Q8 */
    int32_t *previous;
    int32_t crossing[MC_MAINS_CHANNELS];
    int64_t sum_sq[MC_MAINS_CHANNELS], sum_v[MC_MAINS_CHANNELS];
    int64_t edge_sq[MC_MAINS_CHANNELS], edge_v[MC_MAINS_CHANNELS];
    int64_t win_sq[MC_MAINS_CHANNELS], win_v[MC_MAINS_CHANNELS];
    int64_t sum_p[2], edge_p[2], win_p[2];  /* 0: EV, 1: house */

    int32_t have_previous;
    int64_t previous_t;                /* time unit: 1/4096 of an output step (24.4 ns) */
    int64_t window_start_t;
    int32_t window_at_crossing;
    int32_t window_restarted;
    int32_t window_samples;
    int32_t armed;
    int64_t last_crossing_t;
    int64_t tracked_period_t;
    int64_t crossings[MC_FREQUENCY_CYCLES + 1];
    int32_t crossing_count;
    int32_t crossing_newest;

    /* Raw input statistics per channel since the last record (stuck, rails). */
    int16_t raw_min[MC_MAINS_CHANNELS], raw_max[MC_MAINS_CHANNELS];
    int32_t raw_rail[MC_MAINS_CHANNELS];
    int32_t raw_count;

    mc_pilot pilot;
    int64_t pilot_high_sum, pilot_low_sum;

    mc_cycle queue[MC_QUEUE];
    int32_t queue_head, queue_count;
    int32_t sequence;
    int32_t dropped;
    int32_t cycle_flags;
} mc_core;

/* Starts from nothing: nominal bias, no window. */
void mc_init(mc_core *core);

/* (Re)starts the sample clock: the next frame pushed is at first_frame_us. Call after a gap in
   the stream (DMA overflow, a stall): the open window is dropped, bias and records are kept. */
void mc_start(mc_core *core, int64_t first_frame_us);

/* Feeds frame_count frames of MC_CHANNELS pin millivolts each, interleaved, at MC_INPUT_PERIOD_US. */
void mc_push(mc_core *core, const int16_t *frames, int32_t frame_count);

/* Moves the oldest completed cycle record into *out; returns 1, or 0 when there is none. */
int32_t mc_pop_cycle(mc_core *core, mc_cycle *out);

/* Pilot levels since the previous call, then starts a new window. */
void mc_read_pilot(mc_core *core, mc_pilot *out);

/* Time of the next frame expected, us (for the shell's stall and rate checks). */
int64_t mc_next_frame_us(const mc_core *core);

/* The 19 Q15 taps (sum 32768), for tests. */
extern const int16_t mc_fir_taps[MC_FIR_TAPS];

#ifdef __cplusplus
}
#endif

#endif
