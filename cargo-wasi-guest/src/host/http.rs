//! An HTTP host for components that export `wasi:http/incoming-handler`,
//! with `wasmtime-wasi-http` (the version matching the pinned Wasmtime):
//! one instance, any number of requests, each with a fresh `WasiCtx`, the
//! way `wasmtime serve` reuses an instance.

use super::Creator;
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use std::sync::Arc;
use wasmtime::component::{Component, Linker, ResourceTable};
use wasmtime::{Engine, Store};
use wasmtime_wasi::p2::pipe::MemoryOutputPipe;
use wasmtime_wasi::{WasiCtx, WasiCtxBuilder, WasiCtxView, WasiView};
pub use wasmtime_wasi_http::p2::bindings::ProxyPre;
use wasmtime_wasi_http::p2::bindings::http::types::Scheme;
use wasmtime_wasi_http::{WasiHttpCtx, WasiHttpCtxView, WasiHttpView};

/// The store's data of an HTTP instance.
pub struct State {
    ctx: WasiCtx,
    http: WasiHttpCtx,
    hooks: NoOutgoing,
    table: ResourceTable,
}

/// An empty context and table, no outgoing requests.
pub(crate) fn http_state() -> State {
    State {
        ctx: WasiCtxBuilder::new().build(),
        http: WasiHttpCtx::new(),
        hooks: NoOutgoing,
        table: ResourceTable::new(),
    }
}

impl State {
    /// Puts `ctx` in for the next requests.
    pub(crate) fn set_context(&mut self, ctx: WasiCtx) {
        self.ctx = ctx;
    }

    /// How many handles the instance holds in the resource table.
    pub(crate) fn handles(&mut self) -> usize {
        self.table.iter_mut().count()
    }
}

impl WasiView for State {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.ctx,
            table: &mut self.table,
        }
    }
}

impl WasiHttpView for State {
    fn http(&mut self) -> WasiHttpCtxView<'_> {
        WasiHttpCtxView {
            ctx: &mut self.http,
            table: &mut self.table,
            hooks: &mut self.hooks,
        }
    }
}

/// The handlers under test make no outgoing requests; one is refused.
pub(crate) struct NoOutgoing;

type Outgoing = Box<dyn Future<Output = Result<(), wasmtime_wasi_http::Error>> + Send>;

impl wasmtime_wasi_http::WasiHttpHooks for NoOutgoing {
    fn send_request(
        &mut self,
        _: hyper::http::Request<wasmtime_wasi_http::WasiBody>,
        _: Option<wasmtime_wasi_http::RequestOptions>,
        _: Outgoing,
    ) -> Box<
        dyn Future<
                Output = wasmtime_wasi_http::Result<(
                    hyper::http::Response<wasmtime_wasi_http::WasiBody>,
                    Outgoing,
                )>,
            > + Send,
    > {
        Box::new(async { Err(wasmtime_wasi_http::Error::HttpRequestDenied) })
    }
}

/// A linker with WASI 0.2 and `wasi:http` (async).
pub fn linker(engine: &Engine) -> wasmtime::Result<Linker<State>> {
    let mut linker = Linker::new(engine);
    wasmtime_wasi::p2::add_to_linker_async(&mut linker)?;
    wasmtime_wasi_http::p2::add_only_http_to_linker_async(&mut linker)?;
    Ok(linker)
}

/// A request.
#[derive(Clone, Debug)]
pub struct Request {
    /// `GET`, `POST`, ...
    pub method: String,
    /// Path and query, starting with `/`.
    pub path: String,
    /// Headers (names lower case).
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Request {
    /// A `GET` of `path` with no headers and no body.
    pub fn get(path: &str) -> Request {
        Request {
            method: "GET".into(),
            path: path.into(),
            headers: Vec::new(),
            body: Vec::new(),
        }
    }
}

/// A response, whole.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Response {
    /// Status code.
    pub status: u16,
    /// Headers.
    pub headers: Vec<(String, Vec<u8>)>,
    /// The body.
    pub body: Vec<u8>,
    /// What the handler wrote to stderr during the request.
    pub stderr: String,
    /// Whether the resource table was empty after the request.
    pub table_empty: bool,
}

impl Response {
    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// A response's head, as the handler set it.
type Head = Result<
    hyper::Response<wasmtime_wasi_http::p2::body::HyperOutgoingBody>,
    wasmtime_wasi_http::p2::bindings::http::types::ErrorCode,
>;

/// Status, headers and the whole body of a response.
async fn collect(head: Head) -> Result<(u16, Vec<(String, Vec<u8>)>, Vec<u8>), String> {
    let response = head.map_err(|e| format!("error response: {e:?}"))?;
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

/// One instance of an HTTP handler, any number of requests.
pub struct Instance {
    store: Store<State>,
    proxy: wasmtime_wasi_http::p2::bindings::Proxy,
    creator: Option<Arc<Creator>>,
}

thread_local! {
    /// The runtime the async host calls are driven on: one per thread, made
    /// once (a benchmark of fresh instances must not time its creation).
    static RUNTIME: tokio::runtime::Runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a tokio runtime");
}

pub(crate) fn block_on<F: Future>(f: F) -> F::Output {
    RUNTIME.with(|rt| rt.block_on(f))
}

impl Instance {
    /// Instantiates `component`; `creator` as for [`super::Instance::new`].
    pub fn new(
        component: &Component,
        linker: &Linker<State>,
        creator: Option<Arc<Creator>>,
    ) -> wasmtime::Result<Instance> {
        let pre = ProxyPre::new(linker.instantiate_pre(component)?)?;
        Instance::from_pre(&pre, creator)
    }

    /// Instantiates from a pre-instantiated component (what a server does
    /// once per component, then once per instance).
    pub fn from_pre(
        pre: &ProxyPre<State>,
        creator: Option<Arc<Creator>>,
    ) -> wasmtime::Result<Instance> {
        let mut store = Store::new(pre.engine(), http_state());
        let proxy = block_on(pre.instantiate_async(&mut store))?;
        Ok(Instance {
            store,
            proxy,
            creator,
        })
    }

    /// Sends one request with a fresh `WasiCtx`; `Err` with the trap's text
    /// if the handler trapped.
    pub fn request(&mut self, req: &Request) -> Result<Response, String> {
        let stderr = MemoryOutputPipe::new(1 << 20);
        self.store.data_mut().ctx = WasiCtxBuilder::new().stderr(stderr.clone()).build();
        let mut builder = hyper::Request::builder()
            .method(req.method.as_str())
            .uri(format!("http://localhost{}", req.path));
        for (k, v) in &req.headers {
            builder = builder.header(k.as_str(), v.as_str());
        }
        let body = Full::new(Bytes::from(req.body.clone()))
            .map_err(|never| -> wasmtime_wasi_http::Error { match never {} });
        let hyper_req = builder.body(body).map_err(|e| e.to_string())?;
        let (tx, rx) = tokio::sync::oneshot::channel();
        let store = &mut self.store;
        let proxy = &self.proxy;
        let result = block_on(async move {
            let incoming = store
                .data_mut()
                .http()
                .new_incoming_request(Scheme::Http, hyper_req)
                .map_err(|e| format!("{e:?}"))?;
            let out = store
                .data_mut()
                .http()
                .new_response_outparam(tx)
                .map_err(|e| format!("{e:?}"))?;
            let call = proxy
                .wasi_http_incoming_handler()
                .call_handle(&mut *store, incoming, out);
            // The response head arrives while the handler runs; its body may
            // be streamed until the handler returns, so the two are awaited
            // together. A handler that traps before answering never sends
            // the head: then the trap is the result.
            let call = std::pin::pin!(call);
            match futures::future::select(call, rx).await {
                futures::future::Either::Left((called, rx)) => {
                    called.map_err(|e| format!("{e:?}"))?;
                    let head = rx.await.map_err(|_| "no response was set".to_string())?;
                    collect(head).await
                }
                futures::future::Either::Right((head, call)) => {
                    let head = head.map_err(|_| "no response was set".to_string())?;
                    let (called, collected) = futures::join!(call, collect(head));
                    called.map_err(|e| format!("{e:?}"))?;
                    collected
                }
            }
        });
        let (status, headers, body) = result?;
        Ok(Response {
            status,
            headers,
            body,
            stderr: String::from_utf8_lossy(&stderr.contents()).into_owned(),
            table_empty: self.store.data().table.is_empty(),
        })
    }

    /// A copy of the instance's linear memory (host-owned memory only).
    pub fn memory(&self) -> Option<Vec<u8>> {
        self.creator.as_ref().map(|c| c.snapshot())
    }
}
