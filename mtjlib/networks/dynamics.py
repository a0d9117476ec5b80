"""The network's step body, written once: rates -> readout -> learning -> integration.

Every run of a network, free or training, with any neuron kind, is :func:`drive` over a schedule.
At step t, with r_t = F(x_t) from the network's neuron (:mod:`mtjlib.networks.activation`)::

    z_t = W_out r_t                                       readout (before any update)
    if learn_t:  e = z_t - f_t;  RLS step on W_out        (mtjlib.networks.rls, shared P)
    x_{t+1} = x_t + a (-x_t + J r_t + W_f z_t + W_in u_t + b)     Euler, a = dt / tau

Arguments are grouped in named tuples (:class:`~mtjlib.networks.step_types.Weights`,
:class:`~mtjlib.networks.step_types.Schedule`, :class:`~mtjlib.networks.step_types.Learning`,
:class:`~mtjlib.networks.step_types.Record`; all in :mod:`mtjlib.networks.step_types`) so a kernel
call reads as what it is. Computing k = P r of the next learning step while P is updated (one pass
over P per step instead of two) gives the same bits as the two-pass form
(:func:`mtjlib.networks.rls.rls_update`): each sum runs over the same terms in the same order.
"""

from __future__ import annotations

import numpy as np

from mtjlib._counter_rng import normal as _normal
from mtjlib._counter_rng import seed_key as _seed_key
from mtjlib._numba import kernel, parallel_kernel, prange
from mtjlib.networks import rls
from mtjlib.networks.activation import rates

# Streams of the counter-based generator (the word's top bits), one per kind of draw.
READ_J, READ_F, READ_OUT, WRITE_OUT = 1, 2, 3, 4
_STREAM_SHIFT = 56
_INDEX_SHIFT = 32


@kernel
def synapse_normal(key, stream, index, step):
    """Standard normal number ``step`` of synapse ``index`` in ``stream`` (a pure function).

    The counter word packs stream (8 bits), synapse index (24 bits) and step (32 bits); the
    number is :mod:`mtjlib.physics.llg`'s splitmix64 sum of four 16-bit uniforms (mean 0, variance
    1).
    """
    word = ((np.uint64(stream) << np.uint64(_STREAM_SHIFT))
            + (np.uint64(index) << np.uint64(_INDEX_SHIFT)) + np.uint64(step))
    return _normal(_seed_key(key), word)


@kernel
def readout(w_out, r, z):
    """z = W_out r; w_out (n_out, n), r (n,), z (n_out,) (ideal synapses, for references)."""
    for o in range(w_out.shape[0]):
        acc = 0.0
        for i in range(r.shape[0]):
            acc += w_out[o, i] * r[i]
        z[o] = acc


@kernel
def integrate(x, r, z, w, u, a, eta):
    """One Euler step of tau dx/dt = -x + J r + W_f z + W_in u + b (+ eta) with ideal synapses
    (a reference for :func:`integrate_delayed`, which :func:`drive` uses)."""
    noisy = eta.shape[0] > 0
    for i in range(x.shape[0]):
        acc = w.b[i]
        if noisy:
            acc += eta[i]
        for q in range(w.indptr[i], w.indptr[i + 1]):
            acc += w.data[q] * r[w.indices[q]]
        for o in range(z.shape[0]):
            acc += w.w_f[i, o] * z[o]
        for m in range(u.shape[0]):
            acc += w.w_in[i, m] * u[m]
        x[i] += a * (acc - x[i])


@kernel
def readout_gain(w_out, gain, r, z):
    """z = (gain * W_out) r; w_out and gain (n_out, n), r (n,), z (n_out,)."""
    for o in range(w_out.shape[0]):
        acc = 0.0
        for i in range(r.shape[0]):
            acc += (w_out[o, i] * gain[o, i]) * r[i]
        z[o] = acc


@kernel
def read_noise(base, out, sigma, key, stream, step):
    """out = base * (1 + sigma xi) with fresh xi per element (flattened index) and step."""
    b = base.ravel()
    o = out.ravel()
    for q in range(b.shape[0]):
        o[q] = b[q] * (1.0 + sigma * synapse_normal(key, stream, q, step))


@kernel
def csr_rows(acc, indptr, indices, data, r, i0, i1):
    """acc[i] += sum over row i of J (CSR) of data[q] r[indices[q]], for rows i0 <= i < i1, each
    row's terms in the row's order.

    Each row's sum is a chain of dependent additions (no reassociation: the bits stay those of
    the plain loop), so four rows are summed side by side, over their common length and then
    each row's tail: four independent chains keep the adder busy.
    """
    i = i0
    while i + 4 <= i1:
        q0, q1, q2, q3 = indptr[i], indptr[i + 1], indptr[i + 2], indptr[i + 3]
        e3 = indptr[i + 4]
        m = min(q1 - q0, q2 - q1, q3 - q2, e3 - q3)
        a0, a1, a2, a3 = acc[i], acc[i + 1], acc[i + 2], acc[i + 3]
        for s in range(m):
            a0 += data[q0 + s] * r[indices[q0 + s]]
            a1 += data[q1 + s] * r[indices[q1 + s]]
            a2 += data[q2 + s] * r[indices[q2 + s]]
            a3 += data[q3 + s] * r[indices[q3 + s]]
        for q in range(q0 + m, q1):
            a0 += data[q] * r[indices[q]]
        for q in range(q1 + m, q2):
            a1 += data[q] * r[indices[q]]
        for q in range(q2 + m, q3):
            a2 += data[q] * r[indices[q]]
        for q in range(q3 + m, e3):
            a3 += data[q] * r[indices[q]]
        acc[i], acc[i + 1], acc[i + 2], acc[i + 3] = a0, a1, a2, a3
        i += 4
    for j in range(i, i1):
        aj = acc[j]
        for q in range(indptr[j], indptr[j + 1]):
            aj += data[q] * r[indices[q]]
        acc[j] = aj


#: Below this many synapses J r runs on one thread (starting the threads costs about 2 us).
PARALLEL_NNZ = 20_000
#: J r is cut into this many blocks of equal synapse counts, shared out among the threads.
CSR_BLOCKS = 16


@parallel_kernel
def csr_accumulate(acc, indptr, indices, data, r):
    """acc += J r (CSR), rows cut into :data:`CSR_BLOCKS` blocks of equal synapse counts that
    the threads share.

    Every row is summed by :func:`csr_rows` whatever the split, so the bits do not depend on the
    number of threads.
    """
    n = acc.shape[0]
    nnz = indptr[n]
    nb = CSR_BLOCKS if nnz >= PARALLEL_NNZ else 1
    cuts = np.empty(nb + 1, dtype=np.int64)
    cuts[0], cuts[nb] = 0, n
    for b in range(1, nb):
        cuts[b] = np.searchsorted(indptr, (nnz * b) // nb)
    for b in prange(nb):
        csr_rows(acc, indptr, indices, data, r, cuts[b], cuts[b + 1])


@kernel
def integrate_delayed(x, hist, h, zhist, hz, data, w_f, w, syn, u, a, eta, acc):
    """One Euler step of tau dx/dt = -x + J r + W_f z + W_in u + b (+ eta), J in CSR form,
    a = dt/tau; ``eta`` (n,) is noise on the input current, or (0,) for none; ``acc`` (n,)
    scratch.

    r and z are read from their delay lines: ``hist[(h - d) % depth]`` holds the rates of d
    steps ago (``h`` the slot of this step), likewise ``zhist`` and ``hz`` for the readout.
    Each unit's current is summed in the order b, eta, J r, W_f z, W_in u.
    """
    noisy = eta.shape[0] > 0
    depth, fdepth = hist.shape[0], zhist.shape[0]
    for i in range(x.shape[0]):
        acc[i] = w.b[i] + eta[i] if noisy else w.b[i]
    if depth == 1:  # no delays: rows side by side, no integer division per synapse
        csr_accumulate(acc, w.indptr, w.indices, data, hist[h])
    else:
        for i in range(x.shape[0]):
            ai = acc[i]
            for q in range(w.indptr[i], w.indptr[i + 1]):
                ai += data[q] * hist[(h + depth - syn.delay[q]) % depth, w.indices[q]]
            acc[i] = ai
    for i in range(x.shape[0]):
        ai = acc[i]
        if fdepth == 1:
            for o in range(zhist.shape[1]):
                ai += w_f[i, o] * zhist[0, o]
        else:
            for o in range(zhist.shape[1]):
                ai += w_f[i, o] * zhist[(hz + fdepth - syn.fdelay[i, o]) % fdepth, o]
        for m in range(u.shape[0]):
            ai += w.w_in[i, m] * u[m]
        x[i] += a * (ai - x[i])


@kernel
def update_w(w_out, e, c, k, syn, step):
    """W_out -= c e k^T, written only where ``syn.write_mask`` and with relative write noise."""
    exact = syn.write_sigma == 0.0  # then the factor below is exactly 1: skip its draws
    for o in range(w_out.shape[0]):
        ce = c * e[o]
        if exact:
            for j in range(k.shape[0]):
                w_out[o, j] -= (ce * k[j]) * syn.write_mask[o, j]
            continue
        for j in range(k.shape[0]):
            xi = synapse_normal(syn.key, WRITE_OUT, o * k.shape[0] + j, step)
            w_out[o, j] -= ((ce * k[j]) * syn.write_mask[o, j]) * (1.0 + syn.write_sigma * xi)


@kernel
def drive(neuron, w, a, x, x_reset, w_out, counter, sched, learning, plast, syn, rec):
    """Run the schedule from state ``x`` (in place); returns the next evaluation counter.

    ``counter`` numbers neuron evaluations (thermal noise keys, and the step of read and write
    noise). W_out and P change in place, and so do the plastic rows of J (``w.data``) where
    ``plast.learn``. ``syn`` (:class:`~mtjlib.networks.step_types.Synapses`) describes the synapses'
    imperfections; the delay lines start filled with the first step's rates and output.

    Length: about 110 lines on purpose: this is the one step body (rates -> readout -> learning ->
    integration) that every run shares, kept in one numba function so that the order of
    operations, which fixes every result's bits, reads top to bottom.
    """
    n = x.shape[0]
    n_steps = sched.reset.shape[0]
    n_out = w_out.shape[0]
    P = learning.P
    r, r_next = np.empty(n), np.empty(n)
    rs = np.empty(n)
    k = np.empty(n)
    z = np.empty(n_out)
    e = np.empty(n_out)
    rec_r = rec.r.shape[0] > 0
    rec_w = rec.w_norm.shape[0] > 0
    noisy = plast.noise.shape[0] > 0
    plastic = plast.learn.shape[0] > 0
    read_noisy = syn.read_sigma > 0.0 or syn.read_sigma_out > 0.0
    hist = np.empty((syn.depth, n))
    zhist = np.empty((syn.fdepth, n_out))
    data_t = np.empty_like(w.data)
    wf_t = np.empty_like(w.w_f)
    gain_t = np.empty_like(syn.out_gain)
    err = np.empty(n)
    cur = np.empty(n)
    no_eta = np.empty(0)
    # RLS updates of P are deferred to the next learning step and applied in the pass that
    # computes that step's k = P r (one sweep over P per step, not two; same numbers): the
    # readout's kept update is (c_pend, k_pend), each plastic row's (row_c, row_k).
    pending = False
    k_pend = np.empty(n)
    c_pend = 0.0
    bounded = learning.bound > 0.0  # Stenlund & Gustafsson's step: also keep r and d
    rs_pend = np.empty(n if bounded else 0)
    d_pend = 0.0
    row_k = np.empty((plast.rows.shape[0], rls.row_kmax(plast.rows, w.indptr) if plastic else 0))
    row_c = np.empty(plast.rows.shape[0])
    row_pending = False
    if n_steps > 0:
        if sched.reset[0]:
            x[:] = x_reset
        rates(neuron, x, r, counter)
        counter += 1
    for t in range(n_steps):
        step = counter - 1  # the evaluation that gave r: a global step number
        learn = sched.learn[t]
        if rec_r:
            rec.r[t] = r
            rec.x[t] = x
        if read_noisy:  # per step, not per element: the ideal run reads the arrays themselves
            read_noise(w.data, data_t, syn.read_sigma, syn.key, READ_J, step)
            read_noise(w.w_f, wf_t, syn.read_sigma, syn.key, READ_F, step)
            read_noise(syn.out_gain, gain_t, syn.read_sigma_out, syn.key, READ_OUT, step)
            data, wf, gain = data_t, wf_t, gain_t
        else:
            data, wf, gain = w.data, w.w_f, syn.out_gain
        readout_gain(w_out, gain, r, z)
        rec.z[t] = z
        h, hz = t % syn.depth, t % syn.fdepth
        if t == 0:
            for s in range(syn.depth):
                hist[s] = r
            for s in range(syn.fdepth):
                zhist[s] = z
        else:
            hist[h] = r
            zhist[hz] = z
        if learn:
            for i in range(n):
                rs[i] = r[i] * syn.seen[i]
            if sched.restart[t]:
                rls.reset_p(P, learning.alpha)
                pending = False
            if pending and bounded:
                rls.update_p_bounded(P, k_pend, c_pend, rs_pend, d_pend, rs, k, True)
            elif pending:
                rls.update_p(P, k_pend, c_pend, learning.lam, rs, k, True)
            else:
                rls.matvec_sym(P, rs, k)
            for o in range(n_out):
                e[o] = z[o] - sched.target[t, o]
            c = rls.gain(rs, k, learning.lam)
            update_w(w_out, e, c, k, syn, step)
            if bounded:
                d_pend = rls.anchor_gain(rs, learning.bound)
                rs_pend[:] = rs
            k, k_pend = k_pend, k
            c_pend = c
            pending = True
        if plastic and plast.learn[t]:
            for i in range(n):
                err[i] = r[i] - plast.target[t, i]
            rls.row_rls_deferred(plast.P, plast.off, plast.rows, w.indptr, w.indices, w.data,
                                 r, err, plast.lam, row_k, row_c, row_pending)
            row_pending = True
        integrate_delayed(x, hist, h, zhist, hz, data, wf, w, syn, sched.u[t], a,
                          plast.noise[t] if noisy else no_eta, cur)
        if t + 1 < n_steps:
            if sched.reset[t + 1]:
                x[:] = x_reset
            rates(neuron, x, r_next, counter)
            counter += 1
        r, r_next = r_next, r
        if rec_w:
            acc = 0.0
            for o in range(n_out):
                for j in range(n):
                    acc += w_out[o, j] * w_out[o, j]
            rec.w_norm[t] = np.sqrt(acc)
    if pending and bounded:
        rls.update_p_bounded(P, k_pend, c_pend, rs_pend, d_pend, k, k, False)
    elif pending:
        rls.update_p(P, k_pend, c_pend, learning.lam, k, k, False)
    if row_pending:
        rls.row_rls_flush(plast.P, plast.off, plast.rows, w.indptr, plast.lam, row_k, row_c)
    return counter
