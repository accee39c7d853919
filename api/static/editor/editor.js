// The query editor: lists the named example queries of this service and runs queries against
// this service's own SPARQL endpoint. Every request goes to a URL relative to this page.
"use strict";

const ENDPOINT = "sparql";
const QUERIES = "queries";
const ACCEPT = "application/sparql-results+json, text/turtle;q=0.9";

const byId = (id) => document.getElementById(id);
let examples = [];

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function setStatus(text) {
  byId("status").textContent = text;
}

// -- example queries ------------------------------------------------------------------------

async function loadExamples() {
  try {
    const response = await fetch(QUERIES, { headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    examples = (await response.json()).queries;
  } catch (error) {
    setStatus(`The example queries could not be loaded (${error.message}).`);
    return;
  }
  const select = byId("examples");
  for (const example of examples) {
    const option = element("option", `${example.name} — ${example.summary}`);
    option.value = example.name;
    select.appendChild(option);
  }
}

function showExample(name) {
  const example = examples.find((candidate) => candidate.name === name);
  const box = byId("parameters");
  box.replaceChildren();
  byId("example-summary").textContent = example ? example.description || example.summary : "";
  if (!example) return;
  byId("query").value = example.query;
  for (const parameter of example.parameters) {
    const row = element("div", undefined, "parameter");
    const label = element("label", `?${parameter.name} (${parameter.type})`);
    const input = element("input");
    input.id = `parameter-${parameter.name}`;
    input.dataset.name = parameter.name;
    input.dataset.type = parameter.type;
    input.dataset.datatype = parameter.datatype || "";
    input.placeholder = parameter.description;
    input.size = 40;
    label.htmlFor = input.id;
    row.append(label, input);
    box.appendChild(row);
  }
}

// A parameter value as a SPARQL term; strings are escaped, IRIs and numbers checked.
function sparqlTerm(value, type, datatype) {
  if (type === "iri") {
    if (/[\s<>"{}|^`\\]/.test(value)) throw new Error(`not an IRI: ${value}`);
    return `<${value}>`;
  }
  if (type === "integer") {
    if (!/^[+-]?\d+$/.test(value)) throw new Error(`not an integer: ${value}`);
    return value;
  }
  const literal = JSON.stringify(value);
  return datatype ? `${literal}^^<${datatype}>` : literal;
}

// The query with filled-in parameters bound by a final VALUES clause (SPARQL 1.1 §10.2.2).
function queryWithParameters() {
  let text = byId("query").value;
  for (const input of byId("parameters").querySelectorAll("input")) {
    if (input.value.trim() === "") continue;
    const term = sparqlTerm(input.value.trim(), input.dataset.type, input.dataset.datatype);
    text += `\nVALUES ?${input.dataset.name} { ${term} }`;
  }
  return text;
}

// -- running --------------------------------------------------------------------------------

function termCell(term) {
  const cell = element("td");
  if (!term) return cell;
  if (term.type === "uri") {
    cell.textContent = `<${term.value}>`;
  } else if (term.type === "bnode") {
    cell.textContent = `_:${term.value}`;
  } else if (term.type === "triple") {
    cell.textContent = `<< ${["subject", "predicate", "object"].map((key) => term.value[key].value).join(" ")} >>`;
  } else {
    cell.textContent = term.value;
    if (term["xml:lang"]) cell.appendChild(element("span", ` @${term["xml:lang"]}`, "lang"));
    else if (term.datatype) cell.appendChild(element("span", ` ^^${term.datatype.split(/[#/]/).pop()}`, "datatype"));
  }
  return cell;
}

function showTable(results) {
  const box = byId("results");
  if (typeof results.boolean === "boolean") {
    box.appendChild(element("p", `ASK: ${results.boolean}`));
    return;
  }
  const variables = results.head.vars;
  const rows = results.results.bindings;
  if (results.truncated) {
    box.appendChild(element("p", `Only the first ${rows.length} rows are shown: the answer was cut at the row cap.`, "warning"));
  }
  const table = element("table");
  const head = element("tr");
  for (const name of variables) head.appendChild(element("th", name));
  table.appendChild(element("thead")).appendChild(head);
  const body = table.appendChild(element("tbody"));
  for (const row of rows) {
    const line = element("tr");
    for (const name of variables) line.appendChild(termCell(row[name]));
    body.appendChild(line);
  }
  box.appendChild(table);
  setStatus(`${rows.length} row${rows.length === 1 ? "" : "s"}`);
}

async function run() {
  const box = byId("results");
  box.replaceChildren();
  let query;
  try {
    query = queryWithParameters();
  } catch (error) {
    box.appendChild(element("p", error.message, "error"));
    return;
  }
  setStatus("Running…");
  const started = performance.now();
  let response;
  try {
    response = await fetch(ENDPOINT, {
      method: "POST",
      headers: { Accept: ACCEPT, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ query }),
    });
  } catch (error) {
    setStatus("");
    box.appendChild(element("p", `The request failed: ${error.message}`, "error"));
    return;
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  const type = response.headers.get("Content-Type") || "";
  if (!response.ok) {
    setStatus(`HTTP ${response.status} after ${seconds} s`);
    let message = await response.text();
    try {
      message = JSON.parse(message).error.message;
    } catch (ignored) {
      // Not the service's JSON error shape: show the text as it came.
    }
    box.appendChild(element("p", message, "error"));
    return;
  }
  if (type.startsWith("application/sparql-results+json")) {
    showTable(await response.json());
    setStatus(`${byId("status").textContent} in ${seconds} s`);
  } else {
    if (response.headers.get("X-MWG-Truncated") === "true") {
      box.appendChild(element("p", "The answer was cut at the row cap.", "warning"));
    }
    box.appendChild(element("pre", await response.text()));
    setStatus(`${seconds} s`);
  }
}

// The download goes through a form POST so that long queries fit.
function download() {
  let query;
  try {
    query = queryWithParameters();
  } catch (error) {
    byId("results").replaceChildren(element("p", error.message, "error"));
    return;
  }
  const form = element("form");
  form.method = "POST";
  form.action = ENDPOINT;
  form.target = "_blank";
  for (const [name, value] of [["query", query], ["format", byId("download-format").value]]) {
    const field = element("input");
    field.type = "hidden";
    field.name = name;
    field.value = value;
    form.appendChild(field);
  }
  document.body.appendChild(form);
  form.submit();
  form.remove();
}

document.addEventListener("DOMContentLoaded", () => {
  byId("examples").addEventListener("change", (event) => showExample(event.target.value));
  byId("run").addEventListener("click", run);
  byId("download").addEventListener("click", download);
  byId("query").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      run();
    }
  });
  loadExamples();
});
