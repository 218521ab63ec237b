//! The executor: every call of an async export is one component-model task,
//! driven through the callback ABI, and one future of this crate's.
//!
//! * [`start`] (the `[async-lift]` export) takes a block from the export's
//!   [`Pool`], writes a [`Task`] header and the call's future into it, and
//!   polls the future once; [`callback`] (the `[callback]` export) finds the
//!   task again through `context.get`, delivers the host's event to the
//!   [`Waiter`] waiting for it, and polls again. Each returns the canonical
//!   code: `EXIT` when the future is done, `YIELD` when it woke itself,
//!   else `WAIT` on the task's waitable set.
//! * A leaf future that waits for the host (a stream or future copy, a
//!   subtask) holds a [`Waiter`]: pinned, linked into its task's list and
//!   its waitable joined to the task's set, until the event arrives or the
//!   future is dropped.
//! * While a task runs, [`current`] is its header: the print macros, the
//!   import arena and `RunLocal`s of a call find their own state there.
//!   Between callbacks the import arena of the task is kept in its header
//!   ([`cabi::swap_arena`](super::super::cabi::swap_arena)), so overlapping
//!   calls never share one.
//!
//! Soundness rests on three rules kept here: a task's block is freed only
//! after its future was dropped in place (so every `Waiter` in it has
//! unlinked itself, by the `Drop` that `Pin` guarantees); a `Waiter` is
//! linked only while pinned and unlinks itself in `Drop`; and the task
//! header is reached only through [`current`] while that task runs (one
//! thread, and the callback ABI never runs two callbacks at once).

use super::abi;
use crate::platform::cell::Global;
use crate::platform::region::Region;
use alloc::boxed::Box;
use alloc::vec::Vec;
use core::future::Future;
use core::marker::PhantomPinned;
use core::mem::ManuallyDrop;
use core::pin::Pin;
use core::ptr;
use core::task::{Context, Poll, RawWaker, RawWakerVTable, Waker};

/// The header at the start of every task's block. `repr(C)` with `id`
/// first: a freed block's first word links the pool's free list, and must
/// not overlap the arena the block keeps.
#[repr(C)]
pub(crate) struct Task {
    /// What a `Waker` names its task by, and what tells overlapping calls
    /// apart: the block's address. A block is reused only after its task
    /// ended, so an old waker can at worst poll the new task once more than
    /// needed (a spurious wake, which futures allow).
    id: u32,
    /// The waitable set the task waits in (0 until it first waits).
    set: u32,
    /// The task's pinned waiters.
    waiters: *mut Waiter,
    /// Whether a waker of this task was woken while it ran.
    woken: bool,
    /// Polls the future after the header; `true` when it is done.
    poll: unsafe fn(*mut Task, &mut Context<'_>) -> bool,
    /// Drops the future after the header in place.
    drop_future: unsafe fn(*mut Task),
    /// The pool the block goes back to, and the block's size.
    pool: &'static Pool,
    size: usize,
    /// Whether the call's result was sent (`task.return`).
    pub(crate) returned: bool,
    /// This task's import arena while another task runs.
    pub(crate) arena: Region,
    /// This call's stdout and stderr.
    pub(crate) stdio: super::stdio::Sinks,
    /// Futures the call spawned (held without drop glue, so a program that
    /// never spawns links none of this: `spawned_ops`, set by the first
    /// `spawn`, polls and drops them).
    spawned: ManuallyDrop<Vec<Spawned>>,
    spawned_ops: Option<SpawnedOps>,
}

/// A future a call spawned.
type Spawned = Pin<Box<dyn Future<Output = ()>>>;

/// How to poll and drop a task's spawned futures.
#[derive(Clone, Copy)]
struct SpawnedOps {
    /// Polls them all once; `true` if any ended.
    poll: fn(*mut Task, &mut Context<'_>) -> bool,
    /// Drops them all (the call ends).
    drop: fn(*mut Task),
}

/// A task's block: the header, then its future.
#[repr(C)]
struct Block<F> {
    task: Task,
    future: F,
}

/// Blocks of one size (one export's tasks), reused as tasks end.
pub struct Pool {
    /// Freed blocks, linked through their first word.
    free: Global<usize>,
}

impl Pool {
    /// An empty pool.
    #[allow(clippy::new_without_default)]
    pub const fn new() -> Pool {
        Pool {
            free: Global::new(0),
        }
    }
}

/// Where new blocks are carved from: the unused rest of the pages last
/// taken from `memory.grow` (start, end).
static BLOCKS: Global<(usize, usize)> = Global::new((0, 0));
/// The task whose callback is running, or null.
static CURRENT: Global<*mut Task> = Global::new(ptr::null_mut());

/// The running task's header (null outside a task).
#[inline]
pub(crate) fn current() -> *mut Task {
    // SAFETY: the closure only reads.
    unsafe { CURRENT.try_with(|c| *c) }.unwrap_or(ptr::null_mut())
}

/// Runs `f` with the running task's header, if a task is running.
#[inline]
pub(crate) fn with_current<R>(f: impl FnOnce(&mut Task) -> R) -> Option<R> {
    let task = current();
    if task.is_null() {
        return None;
    }
    // SAFETY: `CURRENT` is set only for the duration of that task's poll
    // (see `drive`), to the header of a live block; callers are this
    // crate's own code, which never holds such a `&mut` across a point where
    // another reference to the header is made (they are leaf functions).
    Some(f(unsafe { &mut *task }))
}

/// The running task's id (0 outside a task).
pub(crate) fn current_id() -> u32 {
    with_current(|t| t.id).unwrap_or(0)
}

/// A block for `F`'s task, from `pool` or new. `None` if memory ran out.
fn alloc<F>(pool: &'static Pool) -> Option<*mut Block<F>> {
    // SAFETY: the closures touch only their own global.
    let free = unsafe { pool.free.try_with(|f| *f) }.unwrap_or(0);
    if free != 0 {
        // SAFETY: a freed block starts with the address of the next one
        // (written by `release`), and is as large as a `Block<F>`: a pool
        // serves one export, so one `F`.
        let next = unsafe { (free as *const usize).read() };
        // SAFETY: as above.
        unsafe { pool.free.try_with(|f| *f = next) };
        return Some(free as *mut Block<F>);
    }
    let size = core::mem::size_of::<Block<F>>();
    let align = core::mem::align_of::<Block<F>>();
    // SAFETY: the closure touches only the bump state (and memory.grow).
    let p = unsafe {
        BLOCKS.try_with(|(next, end)| {
            let mut at = next.checked_next_multiple_of(align)?;
            if at.checked_add(size)? > *end {
                // Fresh pages, zeroed by the host; the rest of the old ones
                // is left unused.
                const PAGE: usize = 65536;
                let pages = size.div_ceil(PAGE);
                let old = core::arch::wasm32::memory_grow(0, pages);
                if old == usize::MAX {
                    return None;
                }
                at = old * PAGE;
                *end = at + pages * PAGE;
            }
            *next = at + size;
            Some(at)
        })
    }
    .flatten()?;
    Some(p as *mut Block<F>)
}

/// Polls the future of a `Block<F>`.
///
/// # Safety
/// `task` is the header of a live `Block<F>` whose future is initialised.
unsafe fn poll_block<F: Future<Output = ()>>(task: *mut Task, cx: &mut Context<'_>) -> bool {
    // SAFETY: the caller's promise; the future never moves out of its block
    // (it is dropped in place before the block is reused).
    let future = unsafe { Pin::new_unchecked(&mut (*task.cast::<Block<F>>()).future) };
    future.poll(cx).is_ready()
}

/// Drops the future of a `Block<F>` in place.
///
/// # Safety
/// As [`poll_block`]; the future is not used again.
unsafe fn drop_block<F>(task: *mut Task) {
    // SAFETY: the caller's promise.
    unsafe { ptr::drop_in_place(&raw mut (*task.cast::<Block<F>>()).future) };
}

/// The `[async-lift]` export: starts `future` as the current task. Returns
/// the callback code; traps if no memory is left for the task.
pub fn start<F: Future<Output = ()> + 'static>(pool: &'static Pool, future: F) -> u32 {
    let Some(block) = alloc::<F>(pool) else {
        core::arch::wasm32::unreachable()
    };
    let id = block as usize as u32;
    // A reused block keeps the import arena (its chunks, already cleared)
    // of the task that had it before.
    // SAFETY: a fresh block is zeroed memory (a zero `Region` is an empty
    // one); a reused block's header holds that arena (written by `release`).
    let arena = unsafe { ptr::read(&raw const (*block).task.arena) };
    let task = Task {
        id,
        set: 0,
        waiters: ptr::null_mut(),
        woken: false,
        poll: poll_block::<F>,
        drop_future: drop_block::<F>,
        pool,
        size: core::mem::size_of::<Block<F>>(),
        returned: false,
        arena,
        stdio: super::stdio::Sinks::new(),
        spawned: ManuallyDrop::new(Vec::new()),
        spawned_ops: None,
    };
    // SAFETY: `block` is memory for a `Block<F>` that nothing else uses.
    unsafe { block.write(Block { task, future }) };
    let task = block.cast::<Task>();
    // SAFETY: the task's own context slot holds its header until it exits.
    unsafe { abi::context_set(task as u32) };
    drive(task)
}

/// The `[callback]` export: delivers one event to the current task and
/// polls it again.
pub fn callback(event: u32, waitable: u32, payload: u32) -> u32 {
    // SAFETY: reading the task's own context slot.
    let task = unsafe { abi::context_get() } as *mut Task;
    if event == abi::EVENT_CANCELLED {
        // The caller gave up on the call: its future is dropped (every
        // teardown runs in `Drop`), and the task says it was cancelled.
        finish(task, true);
        return abi::EXIT;
    }
    if event != 0 {
        // SAFETY: `task` is the live header `start` stored in the slot.
        deliver(unsafe { &mut *task }, waitable, payload);
    }
    drive(task)
}

/// Hands an event to the waiter of `waitable`, if the task still has one.
fn deliver(task: &mut Task, waitable: u32, payload: u32) {
    let mut link: *mut *mut Waiter = &raw mut task.waiters;
    // SAFETY: the list holds only pinned, live waiters of this task (each
    // unlinks itself when dropped); nothing else runs while it is walked.
    unsafe {
        while !(*link).is_null() {
            let w = *link;
            if (*w).waitable == waitable {
                *link = (*w).next;
                (*w).next = ptr::null_mut();
                (*w).task = ptr::null_mut();
                (*w).payload = Some(payload);
                abi::waitable_join(waitable, 0);
                return;
            }
            link = &raw mut (*w).next;
        }
    }
}

/// Polls `task` until it waits or ends; returns the callback code.
fn drive(task: *mut Task) -> u32 {
    // SAFETY: the closure only stores.
    unsafe { CURRENT.try_with(|c| *c = task) };
    // The task's arena comes in for the poll (only in a program that
    // receives lists at all).
    let lists = super::super::cabi::ever_used();
    if lists {
        // SAFETY: `task` is live, and no other reference to its header is.
        super::super::cabi::swap_arena(unsafe { &mut (*task).arena });
    }
    // SAFETY: as above: reading the header's fields.
    let id = unsafe { (*task).id };
    let waker = waker(id);
    let mut cx = Context::from_waker(&waker);
    // SAFETY: `task` is the header of a live block of the `F` its `poll`
    // was made for.
    let mut done = unsafe {
        (*task).woken = false;
        ((*task).poll)(task, &mut cx)
    };
    if !done
        // SAFETY: reading the header's fields (no reference is held
        // across the polls below).
        && let Some(ops) = unsafe { (*task).spawned_ops }
        && (ops.poll)(task, &mut cx)
    {
        // A spawned future ended: the call's own future may be waiting for
        // that; poll it again.
        // SAFETY: as above.
        done = unsafe { ((*task).poll)(task, &mut cx) };
    }
    // SAFETY: as above. (A first list received during this poll went into
    // the arena the task did not swap in, which was empty: it becomes the
    // task's arena now.)
    if lists || super::super::cabi::ever_used() {
        // SAFETY: `task` is live, and no other reference to its header is.
        super::super::cabi::swap_arena(unsafe { &mut (*task).arena });
    }
    // SAFETY: the closure only stores.
    unsafe { CURRENT.try_with(|c| *c = ptr::null_mut()) };
    if done {
        finish(task, false);
        return abi::EXIT;
    }
    // SAFETY: `task` is still live (it did not finish).
    let t = unsafe { &mut *task };
    if t.woken {
        return abi::YIELD;
    }
    abi::WAIT | (set_of(t) << 4)
}

/// The task's waitable set, made on first use.
fn set_of(task: &mut Task) -> u32 {
    if task.set == 0 {
        // SAFETY: a new, empty set, owned by the task.
        task.set = unsafe { abi::waitable_set_new() };
    }
    task.set
}

/// Ends `task`: drops its future (if it was cancelled, that runs the
/// call's teardown), its waitable set and its arena's contents, clears the
/// block and gives it back to its pool.
fn finish(task: *mut Task, cancelled: bool) {
    // SAFETY: the closure only stores.
    unsafe { CURRENT.try_with(|c| *c = task) };
    // Spawned futures first (they do not borrow the call's future), then
    // the call's own future.
    // SAFETY: reading the header's fields.
    if let Some(ops) = unsafe { (*task).spawned_ops } {
        (ops.drop)(task);
    }
    // SAFETY: `task` is live and its future initialised; it is dropped once
    // (`finish` is the only place, and the block is released right after).
    unsafe { ((*task).drop_future)(task) };
    // SAFETY: as above.
    let t = unsafe { &mut *task };
    if cancelled && !t.returned {
        // SAFETY: the task was cancelled and has not returned, which is
        // when `task.cancel` is allowed.
        unsafe { abi::task_cancel() };
    }
    // Every waiter lived in the future and unlinked itself when dropped.
    debug_assert!(t.waiters.is_null());
    if t.set != 0 {
        // SAFETY: the set is the task's own and empty (no waiter is left).
        unsafe { abi::waitable_set_drop(t.set) };
    }
    if super::super::cabi::ever_used() {
        t.arena.reset();
    }
    // SAFETY: the closure only stores.
    unsafe { CURRENT.try_with(|c| *c = ptr::null_mut()) };
    // SAFETY: reading the task's own context slot: cleared for the host.
    unsafe { abi::context_set(0) };
    release(task);
}

/// Clears `task`'s block (all but its arena, whose chunks the next task of
/// the block reuses) and puts it on its pool's free list.
fn release(task: *mut Task) {
    // SAFETY: `task` heads a block whose future was dropped; what the block
    // holds past the header is dead, and the header's fields are plain data
    // (the arena is read out before the clear and written back after).
    unsafe {
        let pool = (*task).pool;
        let arena = ptr::read(&raw const (*task).arena);
        let size = (*task).size;
        crate::platform::clear::scrub(task.cast(), size);
        ptr::write(&raw mut (*task).arena, arena);
        let head = pool.free.try_with(|f| core::mem::replace(f, task as usize));
        (task as *mut usize).write(head.unwrap_or(0));
    }
}

/// The `Waker` of task `id`: waking it while the task runs marks it to be
/// polled again (it yields to the host and is called back at once).
fn waker(id: u32) -> Waker {
    // SAFETY: the vtable's functions follow `RawWaker`'s contract: the data
    // is a plain number (a task id), cloned by copying, with nothing to drop.
    unsafe { Waker::from_raw(RawWaker::new(id as usize as *const (), &VTABLE)) }
}

static VTABLE: RawWakerVTable = RawWakerVTable::new(clone, wake, wake, forget);

fn clone(data: *const ()) -> RawWaker {
    RawWaker::new(data, &VTABLE)
}

fn wake(data: *const ()) {
    let id = data as usize as u32;
    // Only the running call's own future can be rescheduled from here: a
    // call that waits on the host is called back by the host's events, not
    // by another call's waker (waking it has no effect until its next
    // event). Waking the running call makes it yield and be polled again.
    with_current(|t| {
        if t.id == id {
            t.woken = true;
        }
    });
}

fn forget(_: *const ()) {}

/// Waits for one event of the host's on a waitable (a stream or future
/// end, a subtask), as part of a task's future.
pub(crate) struct Waiter {
    waitable: u32,
    /// The event's payload, once delivered.
    payload: Option<u32>,
    /// The task it is linked into, or null.
    task: *mut Task,
    next: *mut Waiter,
    _pinned: PhantomPinned,
}

impl Waiter {
    /// A waiter for `waitable`, not yet linked.
    pub(crate) const fn new(waitable: u32) -> Waiter {
        Waiter {
            waitable,
            payload: None,
            task: ptr::null_mut(),
            next: ptr::null_mut(),
            _pinned: PhantomPinned,
        }
    }

    /// The payload if the event came; else links the waiter into the
    /// running task (once) and returns `Pending`.
    pub(crate) fn poll(self: Pin<&mut Self>) -> Poll<u32> {
        // SAFETY: the waiter is not moved out of (only its fields change).
        let this = unsafe { self.get_unchecked_mut() };
        if let Some(p) = this.payload.take() {
            return Poll::Ready(p);
        }
        if this.task.is_null() {
            let linked = with_current(|task| {
                let set = set_of(task);
                // SAFETY: joining a waitable this waiter's owner holds to
                // the task's own set.
                unsafe { abi::waitable_join(this.waitable, set) };
                this.next = task.waiters;
                task.waiters = this;
                task as *mut Task
            });
            // Outside a task nothing can deliver the event: never ready.
            this.task = linked.unwrap_or(ptr::null_mut());
        }
        Poll::Pending
    }

    /// Whether the waiter is linked (its copy or subtask is in progress).
    pub(crate) fn is_linked(&self) -> bool {
        !self.task.is_null()
    }
}

impl Drop for Waiter {
    fn drop(&mut self) {
        let task = self.task;
        if task.is_null() {
            return;
        }
        // SAFETY: a linked waiter's task is live (a task's waiters are all
        // dropped with its future, before its block is released), and the
        // list holds only live waiters.
        unsafe {
            let mut link: *mut *mut Waiter = &raw mut (*task).waiters;
            while !(*link).is_null() {
                if core::ptr::eq(*link, self) {
                    *link = self.next;
                    break;
                }
                link = &raw mut (**link).next;
            }
            abi::waitable_join(self.waitable, 0);
        }
    }
}

/// Blocks the whole instance until the host reports the event of
/// `waitable` (no other call runs meanwhile); returns its payload. For
/// synchronous APIs (the print macros) on top of asynchronous copies.
pub(crate) fn block_on_event(waitable: u32) -> u32 {
    let mut out = [0u32; 2];
    // SAFETY: a new set, joined by `waitable` only for this wait, then
    // emptied and dropped; `out` has room for the (waitable, payload) pair.
    unsafe {
        let set = abi::waitable_set_new();
        abi::waitable_join(waitable, set);
        abi::waitable_set_wait(set, out.as_mut_ptr());
        abi::waitable_join(waitable, 0);
        abi::waitable_set_drop(set);
    }
    out[1]
}

/// Runs `future` as part of the running call (see `sys::spawn`): polled
/// after the call's own future on every turn, until it ends.
pub(crate) fn spawn(future: impl Future<Output = ()> + 'static) {
    let future: Spawned = Box::pin(future);
    with_current(move |t| {
        t.spawned.push(future);
        t.spawned_ops = Some(SpawnedOps {
            poll: poll_spawned,
            drop: drop_spawned,
        });
        // Polled on the next turn.
        t.woken = true;
    });
}

/// Whether the running call has spawned futures that have not ended.
pub(crate) fn spawned_pending() -> bool {
    with_current(|t| !t.spawned.is_empty()).unwrap_or(false)
}

fn poll_spawned(task: *mut Task, cx: &mut Context<'_>) -> bool {
    // Taken out while they are polled: a spawned future may spawn more (or
    // reach the header through `with_current`), which goes into the
    // header's now empty list.
    // SAFETY: `task` is the running task's header; no other reference to
    // it is alive while the list is swapped.
    let mut list = core::mem::take(unsafe { &mut *(*task).spawned });
    let before = list.len();
    list.retain_mut(|f| f.as_mut().poll(cx).is_pending());
    let ended = list.len() < before;
    // SAFETY: as above.
    let more = core::mem::replace(unsafe { &mut *(*task).spawned }, list);
    // SAFETY: as above.
    unsafe { (*task).spawned.extend(more) };
    ended
}

fn drop_spawned(task: *mut Task) {
    // SAFETY: `task` is the ending task's header, no reference to it alive.
    let list = core::mem::take(unsafe { &mut *(*task).spawned });
    drop(list);
    // SAFETY: as above; the (empty) list is freed and not used again.
    unsafe { ManuallyDrop::drop(&mut (*task).spawned) };
}
