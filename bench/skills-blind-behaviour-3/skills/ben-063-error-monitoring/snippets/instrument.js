const Sentry = require('@sentry/node');

const SENSITIVE = /(authorization|cookie|token|secret|password|api[-_]?key)/i;

Sentry.init({
  dsn: process.env.SENTRY_DSN,
  environment: process.env.NODE_ENV || 'development',
  release: process.env.APP_VERSION,
  tracesSampleRate: Number(process.env.SENTRY_TRACES_RATE || 0.1),
  sendDefaultPii: false,
  beforeSend(event) {
    if (event.request && event.request.headers) {
      for (const h of Object.keys(event.request.headers)) {
        if (SENSITIVE.test(h)) event.request.headers[h] = '[scrubbed]';
      }
      delete event.request.cookies;
    }
    if (event.contexts) delete event.contexts.env;
    if (event.extra) {
      for (const k of Object.keys(event.extra)) if (SENSITIVE.test(k)) event.extra[k] = '[scrubbed]';
    }
    return event;
  },
});

module.exports = Sentry;
