import { parseArgs } from "node:util";

const { values: v } = parseArgs({
  options: { customer: { type: "string" }, item: { type: "string" }, qty: { type: "string" }, unit: { type: "string" }, currency: { type: "string", default: "eur" } },
});
const key = process.env.STRIPE_SECRET_KEY;
const api = (path, body) =>
  fetch(`https://api.stripe.com/v1/${path}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(body),
  }).then((r) => r.json());

const inv = await api("invoices", { customer: v.customer, collection_method: "send_invoice", days_until_due: "14" });
await api("invoiceitems", { customer: v.customer, invoice: inv.id, description: v.item, quantity: v.qty, unit_amount: v.unit, currency: v.currency });
console.log(`draft invoice ${inv.id} created — review at https://dashboard.stripe.com/invoices/${inv.id}`);
