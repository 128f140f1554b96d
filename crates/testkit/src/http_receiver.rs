//! A real HTTP/1.1 receiver on loopback for alerting tests: it records
//! every request and answers as the test says (a status with headers, a
//! hang, a dropped connection), and it can go away and come back on the
//! same port. Plain std threads; every read has a timeout.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Largest request body read.
const MAX_BODY: usize = 8 << 20;

/// How the receiver answers.
#[derive(Debug, Clone, PartialEq)]
pub enum Behaviour {
    /// This status, with these extra headers and body.
    Respond {
        status: u16,
        headers: Vec<(String, String)>,
        body: String,
    },
    /// Read the request, then say nothing for this long and close.
    Hang(Duration),
    /// Read the request and close the connection without an answer.
    Drop,
}

impl Behaviour {
    pub fn status(status: u16) -> Behaviour {
        Behaviour::Respond {
            status,
            headers: Vec::new(),
            body: String::new(),
        }
    }
}

/// One request as received.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    pub path: String,
    /// Header names lowercased.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub at: Instant,
    /// What the receiver answered (`None`: hang or drop).
    pub answered: Option<u16>,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

struct Shared {
    behaviour: Mutex<Behaviour>,
    requests: Mutex<Vec<Request>>,
}

/// The receiver. Stops listening on drop.
pub struct HttpReceiver {
    addr: SocketAddr,
    shared: Arc<Shared>,
    running: Option<Arc<AtomicBool>>,
}

impl HttpReceiver {
    /// Listen on 127.0.0.1, a free port, answering 200.
    pub fn start() -> HttpReceiver {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        Self::serve(listener)
    }

    /// Serve on a listener the caller bound (e.g. inside a network namespace).
    pub fn serve(listener: TcpListener) -> HttpReceiver {
        let addr = listener.local_addr().expect("local addr");
        let shared = Arc::new(Shared {
            behaviour: Mutex::new(Behaviour::status(200)),
            requests: Mutex::new(Vec::new()),
        });
        let mut receiver = HttpReceiver {
            addr,
            shared,
            running: None,
        };
        receiver.listen(listener);
        receiver
    }

    fn listen(&mut self, listener: TcpListener) {
        let running = Arc::new(AtomicBool::new(true));
        listener
            .set_nonblocking(true)
            .expect("nonblocking listener");
        let (shared, flag) = (Arc::clone(&self.shared), Arc::clone(&running));
        std::thread::spawn(move || {
            while flag.load(Ordering::Acquire) {
                match listener.accept() {
                    Ok((stream, _)) => {
                        let (shared, flag) = (Arc::clone(&shared), Arc::clone(&flag));
                        std::thread::spawn(move || handle(stream, &shared, &flag));
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                        std::thread::sleep(Duration::from_millis(2));
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(10)),
                }
            }
            // The listener is dropped here: connections are refused.
        });
        self.running = Some(running);
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT` + `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub fn set(&self, behaviour: Behaviour) {
        *self.shared.behaviour.lock().unwrap() = behaviour;
    }

    /// Stop listening: new connections are refused.
    pub fn go_away(&mut self) {
        if let Some(flag) = self.running.take() {
            flag.store(false, Ordering::Release);
        }
        // Let the accept loop see it and drop the listener.
        std::thread::sleep(Duration::from_millis(30));
    }

    /// Listen again on the same port.
    pub fn come_back(&mut self) {
        if self.running.is_some() {
            return;
        }
        let deadline = Instant::now() + Duration::from_secs(5);
        let listener = loop {
            match TcpListener::bind(self.addr) {
                Ok(l) => break l,
                Err(e) if Instant::now() < deadline => {
                    let _ = e;
                    std::thread::sleep(Duration::from_millis(20));
                }
                Err(e) => panic!("rebind {}: {e}", self.addr),
            }
        };
        self.listen(listener);
    }

    /// Every request so far.
    pub fn requests(&self) -> Vec<Request> {
        self.shared.requests.lock().unwrap().clone()
    }

    /// Requests answered 2xx.
    pub fn accepted(&self) -> Vec<Request> {
        self.requests()
            .into_iter()
            .filter(|r| r.answered.is_some_and(|s| (200..300).contains(&s)))
            .collect()
    }

    /// Waits until `ok(requests)` or the limit; returns whether it held.
    pub fn wait_until(&self, limit: Duration, mut ok: impl FnMut(&[Request]) -> bool) -> bool {
        let deadline = Instant::now() + limit;
        loop {
            if ok(&self.requests()) {
                return true;
            }
            if Instant::now() >= deadline {
                return false;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for HttpReceiver {
    fn drop(&mut self) {
        if let Some(flag) = self.running.take() {
            flag.store(false, Ordering::Release);
        }
    }
}

fn handle(stream: TcpStream, shared: &Shared, running: &AtomicBool) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut writer = match stream.try_clone() {
        Ok(w) => w,
        Err(_) => return,
    };
    let mut reader = BufReader::new(stream);
    // Keep-alive: serve requests until the client closes.
    while running.load(Ordering::Acquire) {
        let Some(mut request) = read_request(&mut reader) else {
            return;
        };
        let behaviour = shared.behaviour.lock().unwrap().clone();
        match behaviour {
            Behaviour::Respond {
                status,
                headers,
                body,
            } => {
                request.answered = Some(status);
                shared.requests.lock().unwrap().push(request);
                let mut head = format!(
                    "HTTP/1.1 {status} {}\r\ncontent-length: {}\r\ncontent-type: application/json\r\n",
                    reason(status),
                    body.len()
                );
                for (k, v) in headers {
                    head.push_str(&format!("{k}: {v}\r\n"));
                }
                head.push_str("\r\n");
                if writer.write_all(head.as_bytes()).is_err()
                    || writer.write_all(body.as_bytes()).is_err()
                {
                    return;
                }
            }
            Behaviour::Hang(limit) => {
                shared.requests.lock().unwrap().push(request);
                std::thread::sleep(limit);
                return;
            }
            Behaviour::Drop => {
                shared.requests.lock().unwrap().push(request);
                return;
            }
        }
    }
}

fn read_request(reader: &mut BufReader<TcpStream>) -> Option<Request> {
    let mut line = String::new();
    if reader.read_line(&mut line).ok()? == 0 {
        return None;
    }
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_string();
    let path = parts.next()?.to_string();
    let mut headers = Vec::new();
    let mut length = 0usize;
    for _ in 0..200 {
        let mut header = String::new();
        if reader.read_line(&mut header).ok()? == 0 {
            return None;
        }
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        let (name, value) = header.split_once(':')?;
        let (name, value) = (name.trim().to_ascii_lowercase(), value.trim().to_string());
        if name == "content-length" {
            length = value.parse().ok()?;
        }
        headers.push((name, value));
    }
    if length > MAX_BODY {
        return None;
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some(Request {
        method,
        path,
        headers,
        body,
        at: Instant::now(),
        answered: None,
    })
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        202 => "Accepted",
        400 => "Bad Request",
        404 => "Not Found",
        408 => "Request Timeout",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    }
}
