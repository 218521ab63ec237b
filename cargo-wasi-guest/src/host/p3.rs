//! WASI 0.3 hosts (`wasmtime-wasi` and `wasmtime-wasi-http` with `p3`):
//! one instance of a component that exports `wasi:cli/run@0.3` or
//! `wasi:http/handler@0.3`, called any number of times, each call (or each
//! batch of overlapping calls) inside `Store::run_concurrent`, the way
//! `wasmtime run` and `wasmtime serve` call them.
//!
//! A run's `WasiCtx` is the store's, so overlapping runs share arguments
//! and stdio; overlapping HTTP requests each bring their own request, which
//! is what [`Handler::requests`] sends.

use super::http::{NoOutgoing, Request, Response, State as HttpState, block_on, http_state};
use super::{Call, Creator, Outcome, Pipes, State};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use std::sync::Arc;
use wasmtime::component::{Accessor, Component, Linker};
use wasmtime::{Engine, Store};
use wasmtime_wasi::WasiCtxBuilder;
use wasmtime_wasi::p2::pipe::MemoryOutputPipe;
use wasmtime_wasi::p3::bindings::Command;
use wasmtime_wasi_http::p3::bindings::Service;

/// A linker with WASI 0.3 (`wasi:cli`, `wasi:clocks`, `wasi:random`, ...).
pub fn linker(engine: &Engine) -> wasmtime::Result<Linker<State>> {
    let mut linker = Linker::new(engine);
    wasmtime_wasi::p3::add_to_linker(&mut linker)?;
    Ok(linker)
}

/// One instance of a `wasi:cli/run@0.3` component.
pub struct Run {
    store: Store<State>,
    command: Command,
    creator: Option<Arc<Creator>>,
}

impl Run {
    /// Instantiates `component` with a linker from [`linker`]; `creator` as
    /// for [`super::Instance::new`].
    pub fn new(
        component: &Component,
        linker: &Linker<State>,
        creator: Option<Arc<Creator>>,
    ) -> wasmtime::Result<Run> {
        let mut store = super::store(linker.engine());
        let command = block_on(Command::instantiate_async(&mut store, component, linker))?;
        Ok(Run {
            store,
            command,
            creator,
        })
    }

    /// Calls `run` once with a fresh `WasiCtx` made from `call`.
    pub fn call(&mut self, call: &Call) -> Outcome {
        self.calls(call, 1).pop().expect("one call")
    }

    /// Starts `n` calls of `run` at once on the instance, all with the one
    /// fresh `WasiCtx` made from `call` (a store has one), and waits for
    /// all of them.
    pub fn calls(&mut self, call: &Call, n: usize) -> Vec<Outcome> {
        let (ctx, pipes) = call
            .context(64 << 20)
            .unwrap_or_else(|e| panic!("making the call's context: {e:?}"));
        self.store.data_mut().set_context(ctx);
        let command = &self.command;
        let results = block_on(self.store.run_concurrent(async |acc: &Accessor<State>| {
            let calls = (0..n).map(|_| command.wasi_cli_run().call_run(acc));
            futures::future::join_all(calls).await
        }));
        let results: Vec<Result<Result<(), ()>, String>> = match results {
            Ok(rs) => rs
                .into_iter()
                .map(|r| r.map_err(|e| format!("{e:?}")))
                .collect(),
            Err(e) => (0..n).map(|_| Err(format!("{e:?}"))).collect(),
        };
        let table_empty = self.store.data_mut().handles() == 0;
        results
            .into_iter()
            .map(|result| outcome(result, &pipes, table_empty))
            .collect()
    }

    /// The largest linear memory, in bytes, the instance has grown to.
    pub fn memory_peak(&self) -> usize {
        self.store.data().memory_peak()
    }

    /// A copy of every linear memory of this instance, concatenated (host-
    /// owned memory only).
    pub fn memory(&self) -> Option<Vec<u8>> {
        self.creator.as_ref().map(|c| c.snapshot())
    }
}

fn outcome(result: Result<Result<(), ()>, String>, pipes: &Pipes, table_empty: bool) -> Outcome {
    let text = |p: &MemoryOutputPipe| String::from_utf8_lossy(&p.contents()).into_owned();
    Outcome {
        result,
        stdout: text(&pipes.stdout),
        stderr: text(&pipes.stderr),
        stdout_pipe: pipes.stdout.clone(),
        stderr_pipe: pipes.stderr.clone(),
        table_empty,
        stdout_writes: pipes.stdout_writes(),
    }
}

/// A linker with WASI 0.3 and `wasi:http@0.3`, for HTTP handlers.
pub fn http_linker(engine: &Engine) -> wasmtime::Result<Linker<HttpState>> {
    let mut linker = Linker::new(engine);
    wasmtime_wasi::p3::add_to_linker(&mut linker)?;
    wasmtime_wasi_http::p3::add_to_linker(&mut linker)?;
    Ok(linker)
}

/// One instance of a `wasi:http/handler@0.3` component.
pub struct Handler {
    store: Store<HttpState>,
    service: Service,
    creator: Option<Arc<Creator>>,
}

impl Handler {
    /// Instantiates `component`; `creator` as for [`super::Instance::new`].
    pub fn new(
        component: &Component,
        linker: &Linker<HttpState>,
        creator: Option<Arc<Creator>>,
    ) -> wasmtime::Result<Handler> {
        let mut store = Store::new(linker.engine(), http_state());
        let service = block_on(Service::instantiate_async(&mut store, component, linker))?;
        Ok(Handler {
            store,
            service,
            creator,
        })
    }

    /// Sends one request; `Err` with the trap's text if the handler
    /// trapped.
    pub fn request(&mut self, req: &Request) -> Result<Response, String> {
        self.requests(std::slice::from_ref(req))
            .pop()
            .expect("one request")
    }

    /// Sends all `reqs` at once, so that they overlap on the instance as
    /// far as the component lets them, and waits for every response.
    pub fn requests(&mut self, reqs: &[Request]) -> Vec<Result<Response, String>> {
        let stderr = MemoryOutputPipe::new(1 << 20);
        self.store
            .data_mut()
            .set_context(WasiCtxBuilder::new().stderr(stderr.clone()).build());
        let service = &self.service;
        let results = block_on(
            self.store
                .run_concurrent(async |acc: &Accessor<HttpState>| {
                    let all = reqs.iter().map(|r| one(acc, service, r));
                    futures::future::join_all(all).await
                }),
        );
        let table_empty = self.store.data_mut().handles() == 0;
        let stderr = String::from_utf8_lossy(&stderr.contents()).into_owned();
        match results {
            Ok(rs) => rs
                .into_iter()
                .map(|r| {
                    r.map(|(status, headers, body)| Response {
                        status,
                        headers,
                        body,
                        stderr: stderr.clone(),
                        table_empty,
                    })
                })
                .collect(),
            Err(e) => reqs.iter().map(|_| Err(format!("{e:?}"))).collect(),
        }
    }

    /// A copy of the instance's linear memory (host-owned memory only).
    pub fn memory(&self) -> Option<Vec<u8>> {
        self.creator.as_ref().map(|c| c.snapshot())
    }
}

/// One request through `handle`, its whole body collected.
async fn one(
    acc: &Accessor<HttpState>,
    service: &Service,
    req: &Request,
) -> Result<(u16, Vec<(String, Vec<u8>)>, Vec<u8>), String> {
    let mut builder = hyper::Request::builder()
        .method(req.method.as_str())
        .uri(format!("http://localhost{}", req.path));
    for (k, v) in &req.headers {
        builder = builder.header(k.as_str(), v.as_str());
    }
    let body = Full::new(Bytes::from(req.body.clone())).map_err(
        |never| -> wasmtime_wasi_http::p3::bindings::http::types::ErrorCode { match never {} },
    );
    let request = builder.body(body).map_err(|e| e.to_string())?;
    let mut hooks = NoOutgoing;
    let (request, io) = wasmtime_wasi_http::p3::Request::from_http(&mut hooks, request);
    let response = service
        .handle(acc, request)
        .await
        .map_err(|e| format!("{e:?}"))?
        .map_err(|e| format!("error response: {e:?}"))?;
    let response = acc
        .with(|mut s| response.into_http(&mut s, io))
        .map_err(|e| format!("{e:?}"))?;
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .map(|(k, v)| (k.to_string(), v.as_bytes().to_vec()))
        .collect();
    let body = response
        .into_body()
        .collect()
        .await
        .map_err(|e| format!("body: {e:?}"))?
        .to_bytes()
        .to_vec();
    Ok((status, headers, body))
}
