#include "dnnl_bridge.h"

#include <oneapi/dnnl/dnnl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* libgomp (oneDNN's OpenMP runtime on Debian); omp.h is not on clang's path. */
extern void omp_set_num_threads(int);
extern int omp_get_max_threads(void);

/* The one CPU engine, created on first use and never changed afterwards. */
static dnnl_engine_t cpu_engine;
static dnnl_status_t cpu_engine_status = dnnl_runtime_error;
static pthread_once_t cpu_engine_once = PTHREAD_ONCE_INIT;
static void create_engine(void) { cpu_engine_status = dnnl_engine_create(&cpu_engine, dnnl_cpu, 0); }

static dnnl_engine_t engine(void) {
    pthread_once(&cpu_engine_once, create_engine);
    return cpu_engine_status == dnnl_success ? cpu_engine : NULL;
}

#define TRY(call) do { dnnl_status_t s_ = (call); if (s_ != dnnl_success) { status = -(int)s_ - 100; goto done; } } while (0)

static void plain_md(dnnl_memory_desc_t *md, int n, int c, int h, int w, dnnl_data_type_t type) {
    dnnl_dims_t dims = {n, c, h, w};
    dnnl_memory_desc_init_by_tag(md, 4, dims, type, dnnl_nchw);
}

/* The caller's activation layout: NCHW or channels-last (nhwc). */
static void activation_md(dnnl_memory_desc_t *md, int n, int c, int h, int w, int nhwc) {
    dnnl_dims_t dims = {n, c, h, w};
    dnnl_memory_desc_init_by_tag(md, 4, dims, dnnl_f32, nhwc ? dnnl_nhwc : dnnl_nchw);
}

/* One operand in oneDNN's layout: the caller's buffer when the layouts agree, else a reordered copy. */
typedef struct {
    dnnl_memory_t user;
    dnnl_memory_t inner;
} operand;

static dnnl_status_t reorder(dnnl_memory_t from, dnnl_memory_t to, dnnl_stream_t stream) {
    const dnnl_memory_desc_t *from_md, *to_md;
    dnnl_memory_get_memory_desc(from, &from_md);
    dnnl_memory_get_memory_desc(to, &to_md);
    dnnl_primitive_desc_t pd = NULL;
    dnnl_primitive_t prim = NULL;
    dnnl_status_t s = dnnl_reorder_primitive_desc_create(&pd, from_md, engine(), to_md, engine(), NULL);
    if (s == dnnl_success) s = dnnl_primitive_create(&prim, pd);
    if (s == dnnl_success) {
        dnnl_exec_arg_t args[2] = {{DNNL_ARG_FROM, from}, {DNNL_ARG_TO, to}};
        s = dnnl_primitive_execute(prim, stream, 2, args);
    }
    if (prim) dnnl_primitive_destroy(prim);
    if (pd) dnnl_primitive_desc_destroy(pd);
    return s;
}

/* Wraps `data` (user layout) and, when the primitive wants another layout, allocates one;
 * inputs are reordered in now, outputs later by finish_output. */
static dnnl_status_t prepare(operand *op, const dnnl_memory_desc_t *user_md, void *data,
                             const dnnl_memory_desc_t *inner_md, int is_input, dnnl_stream_t stream) {
    op->user = op->inner = NULL;
    dnnl_status_t s = dnnl_memory_create(&op->user, user_md, engine(), data);
    if (s != dnnl_success) return s;
    if (dnnl_memory_desc_equal(user_md, inner_md)) { op->inner = op->user; return dnnl_success; }
    s = dnnl_memory_create(&op->inner, inner_md, engine(), DNNL_MEMORY_ALLOCATE);
    if (s != dnnl_success) return s;
    return is_input ? reorder(op->user, op->inner, stream) : dnnl_success;
}

static dnnl_status_t finish_output(operand *op, dnnl_stream_t stream) {
    return op->inner != op->user ? reorder(op->inner, op->user, stream) : dnnl_success;
}

static void release(operand *op) {
    if (op->inner && op->inner != op->user) dnnl_memory_destroy(op->inner);
    if (op->user) dnnl_memory_destroy(op->user);
    op->user = op->inner = NULL;
}

static void geometry(const spd_conv_shape *s, dnnl_dims_t strides, dnnl_dims_t pad_l, dnnl_dims_t pad_r) {
    memset(strides, 0, sizeof(dnnl_dims_t));
    memset(pad_l, 0, sizeof(dnnl_dims_t));
    memset(pad_r, 0, sizeof(dnnl_dims_t));
    strides[0] = strides[1] = s->stride;
    pad_l[0] = s->pad_top;
    pad_l[1] = s->pad_left;
    pad_r[0] = (s->out_h - 1) * s->stride + s->kernel_h - s->in_h - s->pad_top;
    pad_r[1] = (s->out_w - 1) * s->stride + s->kernel_w - s->in_w - s->pad_left;
}

/* The forward primitive descriptor with oneDNN choosing the layouts ("any"). */
static dnnl_status_t forward_pd(const spd_conv_shape *s, int with_bias, int training, int winograd, int bf16,
                                dnnl_primitive_desc_t *pd) {
    dnnl_dims_t strides, pad_l, pad_r;
    geometry(s, strides, pad_l, pad_r);
    dnnl_data_type_t in_type = bf16 ? dnnl_bf16 : dnnl_f32;
    dnnl_memory_desc_t src, wei, bias, dst;
    dnnl_dims_t src_dims = {s->batch, s->in_channels, s->in_h, s->in_w};
    dnnl_dims_t wei_dims = {s->out_channels, s->in_channels, s->kernel_h, s->kernel_w};
    dnnl_dims_t bias_dims = {s->out_channels};
    dnnl_dims_t dst_dims = {s->batch, s->out_channels, s->out_h, s->out_w};
    dnnl_memory_desc_init_by_tag(&src, 4, src_dims, in_type, dnnl_format_tag_any);
    dnnl_memory_desc_init_by_tag(&wei, 4, wei_dims, in_type, dnnl_format_tag_any);
    dnnl_memory_desc_init_by_tag(&bias, 1, bias_dims, dnnl_f32, dnnl_x);
    dnnl_memory_desc_init_by_tag(&dst, 4, dst_dims, dnnl_f32, dnnl_format_tag_any);
    dnnl_convolution_desc_t desc;
    dnnl_status_t st = dnnl_convolution_forward_desc_init(
        &desc, training ? dnnl_forward_training : dnnl_forward_inference,
        winograd ? dnnl_convolution_winograd : dnnl_convolution_direct, &src, &wei, with_bias ? &bias : NULL, &dst,
        strides, pad_l, pad_r);
    if (st != dnnl_success) return st;
    return dnnl_primitive_desc_create(pd, &desc, NULL, engine(), NULL);
}

/* bf16: the pass's inputs (diff_dst and the weights or the source) in bf16, its result
 * (diff_src or diff_weights) in f32, accumulated in f32 inside oneDNN. */
static dnnl_status_t backward_pd(const spd_conv_shape *s, int weights_pass, const_dnnl_primitive_desc_t hint,
                                 dnnl_primitive_desc_t *pd) {
    dnnl_dims_t strides, pad_l, pad_r;
    geometry(s, strides, pad_l, pad_r);
    dnnl_data_type_t in_type = s->bf16 ? dnnl_bf16 : dnnl_f32;
    dnnl_memory_desc_t src, wei, dst;
    dnnl_dims_t src_dims = {s->batch, s->in_channels, s->in_h, s->in_w};
    dnnl_dims_t wei_dims = {s->out_channels, s->in_channels, s->kernel_h, s->kernel_w};
    dnnl_dims_t dst_dims = {s->batch, s->out_channels, s->out_h, s->out_w};
    dnnl_memory_desc_init_by_tag(&src, 4, src_dims, weights_pass ? in_type : dnnl_f32, dnnl_format_tag_any);
    dnnl_memory_desc_init_by_tag(&wei, 4, wei_dims, weights_pass ? dnnl_f32 : in_type, dnnl_format_tag_any);
    dnnl_memory_desc_init_by_tag(&dst, 4, dst_dims, in_type, dnnl_format_tag_any);
    dnnl_convolution_desc_t desc;
    dnnl_status_t st = weights_pass
        ? dnnl_convolution_backward_weights_desc_init(&desc, dnnl_convolution_direct, &src, &wei, NULL, &dst,
                                                      strides, pad_l, pad_r)
        : dnnl_convolution_backward_data_desc_init(&desc, dnnl_convolution_direct, &src, &wei, &dst,
                                                   strides, pad_l, pad_r);
    if (st != dnnl_success) return st;
    return dnnl_primitive_desc_create(pd, &desc, NULL, engine(), hint);
}

/* Copies the implementation name out; 1 when it is a reference kernel (refused). */
static int check_impl(const_dnnl_primitive_desc_t pd, char *impl, size_t impl_len) {
    const char *name = "";
    dnnl_primitive_desc_query(pd, dnnl_query_impl_info_str, 0, &name);
    if (impl && impl_len > 0) snprintf(impl, impl_len, "%s", name);
    return strncmp(name, "ref", 3) == 0 ? 1 : 0;
}

/* What a training forward keeps for the backward passes: its source as oneDNN's
 * forward read it (blocked layout, bf16 when converted); NULL when no copy was made. */
struct spd_conv_saved {
    dnnl_memory_t src;
};

void spd_conv_saved_free(spd_conv_saved *saved) {
    if (!saved) return;
    if (saved->src) dnnl_memory_destroy(saved->src);
    free(saved);
}

/* `keep`: when non-NULL, the converted source is handed to *keep instead of freed (NULL when none was made). */
static int forward(const spd_conv_shape *s, const float *src, const float *weights, const float *bias,
                   float *dst, char *impl, size_t impl_len, spd_conv_saved **keep) {
    if (!engine()) return -1;
    int status = 0;
    dnnl_primitive_desc_t pd = NULL;
    dnnl_primitive_t prim = NULL;
    dnnl_stream_t stream = NULL;
    operand a = {0}, w = {0}, b = {0}, d = {0};
    if (impl && impl_len) impl[0] = 0;
    if (forward_pd(s, bias != NULL, s->training, s->winograd, s->bf16, &pd) != dnnl_success) { status = 1; goto done; }
    if (check_impl(pd, impl, impl_len)) { status = 1; goto done; }
    TRY(dnnl_stream_create(&stream, engine(), dnnl_stream_default_flags));
    dnnl_memory_desc_t user_src, user_wei, user_bias, user_dst;
    activation_md(&user_src, s->batch, s->in_channels, s->in_h, s->in_w, s->src_nhwc);
    dnnl_dims_t wei_dims = {s->out_channels, s->in_channels, s->kernel_h, s->kernel_w};
    dnnl_memory_desc_init_by_tag(&user_wei, 4, wei_dims, dnnl_f32, dnnl_oihw);
    dnnl_dims_t bias_dims = {s->out_channels};
    dnnl_memory_desc_init_by_tag(&user_bias, 1, bias_dims, dnnl_f32, dnnl_x);
    activation_md(&user_dst, s->batch, s->out_channels, s->out_h, s->out_w, s->dst_nhwc);
    TRY(prepare(&a, &user_src, (void *)src, dnnl_primitive_desc_query_md(pd, dnnl_query_src_md, 0), 1, stream));
    TRY(prepare(&w, &user_wei, (void *)weights, dnnl_primitive_desc_query_md(pd, dnnl_query_weights_md, 0), 1, stream));
    if (bias) TRY(prepare(&b, &user_bias, (void *)bias, dnnl_primitive_desc_query_md(pd, dnnl_query_weights_md, 1), 1, stream));
    TRY(prepare(&d, &user_dst, dst, dnnl_primitive_desc_query_md(pd, dnnl_query_dst_md, 0), 0, stream));
    TRY(dnnl_primitive_create(&prim, pd));
    dnnl_exec_arg_t args[4] = {{DNNL_ARG_SRC, a.inner}, {DNNL_ARG_WEIGHTS, w.inner}, {DNNL_ARG_DST, d.inner},
                               {DNNL_ARG_BIAS, b.inner}};
    TRY(dnnl_primitive_execute(prim, stream, bias ? 4 : 3, args));
    TRY(finish_output(&d, stream));
    TRY(dnnl_stream_wait(stream));
    if (keep && a.inner != a.user) {
        *keep = calloc(1, sizeof(spd_conv_saved));
        if (*keep) { (*keep)->src = a.inner; a.inner = NULL; }
    }
done:
    release(&a); release(&w); release(&b); release(&d);
    if (prim) dnnl_primitive_destroy(prim);
    if (pd) dnnl_primitive_desc_destroy(pd);
    if (stream) dnnl_stream_destroy(stream);
    return status;
}

int spd_conv_forward(const spd_conv_shape *s, const float *src, const float *weights, const float *bias,
                     float *dst, char *impl, size_t impl_len) {
    return forward(s, src, weights, bias, dst, impl, impl_len, NULL);
}

int spd_conv_forward_keeping(const spd_conv_shape *s, const float *src, const float *weights, const float *bias,
                             float *dst, spd_conv_saved **saved) {
    *saved = NULL;
    return forward(s, src, weights, bias, dst, NULL, 0, saved);
}

/* The backward passes of one conv: input gradient (diff_src non-NULL) and weight gradient
 * (diff_weights non-NULL; needs src). What they share is converted once: diff_dst when both
 * passes read it in the same layout, and the weights pass reads the source the training forward
 * kept (`saved`, may be NULL) when it is in the layout that pass wants. Refused (1) before
 * anything is computed when either pass would run a reference kernel. */
static int backward(const spd_conv_shape *s, const float *diff_dst, const float *src, const float *weights,
                    const spd_conv_saved *saved, float *diff_src, float *diff_weights, char *impl, size_t impl_len) {
    if (!engine()) return -1;
    int status = 0;
    dnnl_primitive_desc_t hint = NULL, data_pd = NULL, weights_pd = NULL;
    dnnl_primitive_t data_prim = NULL, weights_prim = NULL;
    dnnl_stream_t stream = NULL;
    operand g = {0}, g_again = {0}, w = {0}, dx = {0}, x = {0}, dw = {0};
    if (impl && impl_len) impl[0] = 0;
    if (forward_pd(s, 0, 1, 0, s->bf16, &hint) != dnnl_success) { status = 1; goto done; }
    if (diff_src && (backward_pd(s, 0, hint, &data_pd) != dnnl_success || check_impl(data_pd, impl, impl_len))) {
        status = 1; goto done;
    }
    if (diff_weights && (backward_pd(s, 1, hint, &weights_pd) != dnnl_success || check_impl(weights_pd, impl, impl_len))) {
        status = 1; goto done;
    }
    TRY(dnnl_stream_create(&stream, engine(), dnnl_stream_default_flags));
    dnnl_memory_desc_t user_src, user_wei, user_dst;
    plain_md(&user_src, s->batch, s->in_channels, s->in_h, s->in_w, dnnl_f32);
    dnnl_dims_t wei_dims = {s->out_channels, s->in_channels, s->kernel_h, s->kernel_w};
    dnnl_memory_desc_init_by_tag(&user_wei, 4, wei_dims, dnnl_f32, dnnl_oihw);
    plain_md(&user_dst, s->batch, s->out_channels, s->out_h, s->out_w, dnnl_f32);
    if (data_pd) {
        TRY(prepare(&g, &user_dst, (void *)diff_dst, dnnl_primitive_desc_query_md(data_pd, dnnl_query_diff_dst_md, 0), 1, stream));
        TRY(prepare(&w, &user_wei, (void *)weights, dnnl_primitive_desc_query_md(data_pd, dnnl_query_weights_md, 0), 1, stream));
        TRY(prepare(&dx, &user_src, diff_src, dnnl_primitive_desc_query_md(data_pd, dnnl_query_diff_src_md, 0), 0, stream));
        TRY(dnnl_primitive_create(&data_prim, data_pd));
        dnnl_exec_arg_t args[3] = {{DNNL_ARG_DIFF_DST, g.inner}, {DNNL_ARG_WEIGHTS, w.inner}, {DNNL_ARG_DIFF_SRC, dx.inner}};
        TRY(dnnl_primitive_execute(data_prim, stream, 3, args));
        TRY(finish_output(&dx, stream));
    }
    if (weights_pd) {
        const dnnl_memory_desc_t *want_diff_dst = dnnl_primitive_desc_query_md(weights_pd, dnnl_query_diff_dst_md, 0);
        const dnnl_memory_desc_t *want_src = dnnl_primitive_desc_query_md(weights_pd, dnnl_query_src_md, 0);
        const dnnl_memory_desc_t *have = NULL;
        dnnl_memory_t diff_dst_mem = NULL, src_mem = NULL;
        if (g.inner) dnnl_memory_get_memory_desc(g.inner, &have);
        if (have && dnnl_memory_desc_equal(have, want_diff_dst)) {
            diff_dst_mem = g.inner;
        } else {
            TRY(prepare(&g_again, &user_dst, (void *)diff_dst, want_diff_dst, 1, stream));
            diff_dst_mem = g_again.inner;
        }
        have = NULL;
        if (saved && saved->src) dnnl_memory_get_memory_desc(saved->src, &have);
        if (have && dnnl_memory_desc_equal(have, want_src)) {
            src_mem = saved->src;
        } else {
            if (!src) { status = -1; goto done; }
            TRY(prepare(&x, &user_src, (void *)src, want_src, 1, stream));
            src_mem = x.inner;
        }
        TRY(prepare(&dw, &user_wei, diff_weights, dnnl_primitive_desc_query_md(weights_pd, dnnl_query_diff_weights_md, 0), 0, stream));
        TRY(dnnl_primitive_create(&weights_prim, weights_pd));
        dnnl_exec_arg_t args[3] = {{DNNL_ARG_DIFF_DST, diff_dst_mem}, {DNNL_ARG_SRC, src_mem}, {DNNL_ARG_DIFF_WEIGHTS, dw.inner}};
        TRY(dnnl_primitive_execute(weights_prim, stream, 3, args));
        TRY(finish_output(&dw, stream));
    }
    TRY(dnnl_stream_wait(stream));
done:
    release(&g); release(&g_again); release(&w); release(&dx); release(&x); release(&dw);
    if (data_prim) dnnl_primitive_destroy(data_prim);
    if (weights_prim) dnnl_primitive_destroy(weights_prim);
    if (data_pd) dnnl_primitive_desc_destroy(data_pd);
    if (weights_pd) dnnl_primitive_desc_destroy(weights_pd);
    if (hint) dnnl_primitive_desc_destroy(hint);
    if (stream) dnnl_stream_destroy(stream);
    return status;
}

int spd_conv_backward_data(const spd_conv_shape *s, const float *diff_dst, const float *weights, float *diff_src,
                           char *impl, size_t impl_len) {
    return backward(s, diff_dst, NULL, weights, NULL, diff_src, NULL, impl, impl_len);
}

int spd_conv_backward_weights(const spd_conv_shape *s, const float *src, const float *diff_dst, float *diff_weights,
                              char *impl, size_t impl_len) {
    return backward(s, diff_dst, src, NULL, NULL, NULL, diff_weights, impl, impl_len);
}

int spd_conv_backward(const spd_conv_shape *s, const float *diff_dst, const float *src, const float *weights,
                      const spd_conv_saved *saved, float *diff_src, float *diff_weights) {
    return backward(s, diff_dst, src, weights, saved, diff_src, diff_weights, NULL, 0);
}

int spd_conv_query(const spd_conv_shape *s, int pass, char *impl, size_t impl_len) {
    if (!engine()) return -1;
    dnnl_primitive_desc_t hint = NULL, pd = NULL;
    int status;
    if (impl && impl_len) impl[0] = 0;
    if (pass == 0) {
        status = forward_pd(s, 1, s->training, s->winograd, s->bf16, &pd) == dnnl_success ? check_impl(pd, impl, impl_len) : 1;
    } else {
        status = forward_pd(s, 0, 1, 0, s->bf16, &hint) == dnnl_success && backward_pd(s, pass == 2, hint, &pd) == dnnl_success
            ? check_impl(pd, impl, impl_len) : 1;
    }
    if (pd) dnnl_primitive_desc_destroy(pd);
    if (hint) dnnl_primitive_desc_destroy(hint);
    return status;
}

int spd_reorder(int n, int c, int h, int w, const float *src, int src_nhwc, float *dst, int dst_nhwc) {
    if (!engine()) return -1;
    int status = 0;
    dnnl_memory_desc_t from_md, to_md;
    dnnl_memory_t from = NULL, to = NULL;
    dnnl_stream_t stream = NULL;
    activation_md(&from_md, n, c, h, w, src_nhwc);
    activation_md(&to_md, n, c, h, w, dst_nhwc);
    TRY(dnnl_stream_create(&stream, engine(), dnnl_stream_default_flags));
    TRY(dnnl_memory_create(&from, &from_md, engine(), (void *)src));
    TRY(dnnl_memory_create(&to, &to_md, engine(), dst));
    TRY(reorder(from, to, stream));
    TRY(dnnl_stream_wait(stream));
done:
    if (from) dnnl_memory_destroy(from);
    if (to) dnnl_memory_destroy(to);
    if (stream) dnnl_stream_destroy(stream);
    return status;
}

void spd_set_threads(int threads) { omp_set_num_threads(threads < 1 ? 1 : threads); }
int spd_max_threads(void) { return omp_get_max_threads(); }

int spd_has_native_bf16(void) {
    dnnl_cpu_isa_t isa = dnnl_get_effective_cpu_isa();
    return (isa & dnnl_cpu_isa_avx512_core_bf16) == dnnl_cpu_isa_avx512_core_bf16 ? 1 : 0;
}

void spd_version(int *major, int *minor, int *patch) {
    const dnnl_version_t *v = dnnl_version();
    *major = v->major; *minor = v->minor; *patch = v->patch;
}

const char *spd_cpu_isa(void) {
    switch (dnnl_get_effective_cpu_isa()) {
    case dnnl_cpu_isa_avx512_core_amx: return "avx512_core_amx";
    case dnnl_cpu_isa_avx512_core_bf16: return "avx512_core_bf16";
    case dnnl_cpu_isa_avx512_core_vnni: return "avx512_core_vnni";
    case dnnl_cpu_isa_avx512_core: return "avx512_core";
    case dnnl_cpu_isa_avx2: return "avx2";
    default: return "older than avx2";
    }
}
