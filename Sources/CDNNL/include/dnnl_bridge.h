/* A thin bridge over oneDNN's C API (libdnnl 2.6, dnnl.h) for the tensor
 * engine's convolutions. Every call takes and returns plain NCHW / OIHW f32
 * buffers; inside, oneDNN picks its own (channel-blocked) layouts and the
 * bridge reorders at the boundary. Each call builds its primitive (oneDNN's
 * primitive cache makes repeated shapes cheap) and keeps no state of its own
 * (a training forward's converted source, spd_conv_saved, belongs to the caller).
 * Return values: 0 done, 1 refused (oneDNN has only a reference kernel or no
 * kernel for this shape; the caller uses its own), negative: an oneDNN error. */
#ifndef SCENEPAINT_DNNL_BRIDGE_H
#define SCENEPAINT_DNNL_BRIDGE_H
#include <stddef.h>

typedef struct {
    int batch, in_channels, in_h, in_w;
    int out_channels, out_h, out_w;
    int kernel_h, kernel_w, stride;
    /* Zero padding before the first row / column; after the last follows from the output size. */
    int pad_top, pad_left;
    /* bf16 inputs (converted here: source, weights, diff_dst), f32 accumulation and f32 results
     * (dst, diff_src, diff_weights); forward and both backward passes. */
    int bf16;
    /* Forward only: ask for Winograd (3x3, stride 1); refused when oneDNN has none. */
    int winograd;
    /* Forward only: 1 when a backward pass will follow (oneDNN's forward_training). */
    int training;
    /* Forward only: 1 when src / dst are channels-last (nhwc, [N][H][W][C]) instead of NCHW. */
    int src_nhwc, dst_nhwc;
} spd_conv_shape;

/* dst = conv(src, weights) + bias (bias may be NULL). src [N, Cin, H, W],
 * weights [Cout, Cin, kH, kW], dst [N, Cout, outH, outW]. */
int spd_conv_forward(const spd_conv_shape *shape, const float *src, const float *weights, const float *bias,
                     float *dst, char *impl, size_t impl_len);
/* diff_src = the input gradient from diff_dst (overwritten). */
int spd_conv_backward_data(const spd_conv_shape *shape, const float *diff_dst, const float *weights,
                           float *diff_src, char *impl, size_t impl_len);
/* diff_weights = the weight gradient (overwritten). */
int spd_conv_backward_weights(const spd_conv_shape *shape, const float *src, const float *diff_dst,
                              float *diff_weights, char *impl, size_t impl_len);
/* Training: what a forward keeps for its backward passes (its source already converted to the
 * layout and format oneDNN read it in), so they need not convert it again. Owned by the caller. */
typedef struct spd_conv_saved spd_conv_saved;
/* spd_conv_forward (shape->training set) that also hands back in *saved what the backward passes can
 * reuse (NULL when nothing was converted). */
int spd_conv_forward_keeping(const spd_conv_shape *shape, const float *src, const float *weights, const float *bias,
                             float *dst, spd_conv_saved **saved);
void spd_conv_saved_free(spd_conv_saved *saved);
/* Both backward passes of one conv in one call, converting diff_dst once and reading the source from
 * `saved` (may be NULL) where its layout fits: diff_src (NULL: skipped; needs weights) and diff_weights
 * (NULL: skipped; needs src), overwritten. Results equal to the separate calls'. 1: a pass was refused, nothing written. */
int spd_conv_backward(const spd_conv_shape *shape, const float *diff_dst, const float *src, const float *weights,
                      const spd_conv_saved *saved, float *diff_src, float *diff_weights);
/* Which kernel oneDNN would use (0 forward, 1 backward data, 2 backward weights), without running it. */
int spd_conv_query(const spd_conv_shape *shape, int pass, char *impl, size_t impl_len);

/* Copies [N, C, H, W] f32 between NCHW (nhwc 0) and channels-last (nhwc 1). 0 done, negative: an oneDNN error. */
int spd_reorder(int n, int c, int h, int w, const float *src, int src_nhwc, float *dst, int dst_nhwc);

/* OpenMP threads oneDNN uses for calls from the calling thread. */
void spd_set_threads(int threads);
int spd_max_threads(void);
/* 1 when oneDNN's bf16 convolution kernels run natively here (avx512_bf16 or AMX). */
int spd_has_native_bf16(void);
/* oneDNN's version, e.g. 2, 6, 3. */
void spd_version(int *major, int *minor, int *patch);
/* The instruction set oneDNN dispatches to, e.g. "avx512_core_bf16". */
const char *spd_cpu_isa(void);
#endif
