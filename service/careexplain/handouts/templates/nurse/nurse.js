// The nurse page: preview entities, generate a handout, edit it, save with its version, print.
"use strict";

const FACETS = [
  ["what_it_is", "What it is"],
  ["why_it_matters", "Why it matters"],
  ["what_to_do", "What to do (checklist)"],
  ["when_to_call", "When to call the care team"],
  ["emergency", "When to get emergency help"],
];
let handout = null;

const $ = (id) => document.getElementById(id);

function status(text, isError) {
  $("status").textContent = text;
  $("status").className = isError ? "error" : "";
}

async function call(method, url, body) {
  const response = await fetch(url, {
    method,
    headers: { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = (data && data.error) || {};
    const err = new Error(error.message || `Request failed (${response.status})`);
    err.status = response.status;
    throw err;
  }
  return data;
}

function lines(text) {
  return text.split("\n").map((s) => s.trim()).filter((s) => s.length > 0);
}

async function preview() {
  const button = $("preview");
  button.disabled = true;
  status("Reading the note…");
  try {
    const data = await call("POST", "/nurse/preview", { note: $("note").value });
    $("entities").innerHTML = data.entities_html;
    const topics = $("topics");
    topics.textContent = "";
    for (const topic of data.topics) {
      const label = document.createElement("label");
      const box = document.createElement("input");
      box.type = "checkbox";
      box.checked = true;
      box.value = topic.name;
      box.className = "topic";
      label.append(box, ` ${topic.name} (${topic.kind})`);
      topics.append(label);
    }
    $("found").classList.remove("hidden");
    status(data.topics.length ? "" : "No current problem or medicine found in this note.", !data.topics.length);
  } catch (err) {
    status(err.message, true);
  } finally {
    button.disabled = false;
  }
}

async function generate() {
  const button = $("generate");
  button.disabled = true;
  status("Writing the handout…");
  const topics = [...document.querySelectorAll("input.topic:checked")].map((b) => b.value);
  const name = $("preferred-name").value.trim();
  try {
    const data = await call("POST", "/v1/handouts", {
      note: $("note").value,
      topics,
      reading_level: Number($("level").value),
      preferences: name ? { preferred_name: name } : null,
    });
    show(data);
    status("Draft created.");
  } catch (err) {
    status(err.message, true);
  } finally {
    button.disabled = false;
  }
}

function show(data) {
  handout = data;
  const c = data.content;
  $("editor-panel").classList.remove("hidden");
  $("handout-id").textContent = data.id;
  $("version").textContent = data.version;
  $("title").value = c.title;
  $("summary").value = c.summary.join("\n");
  $("print").href = `/v1/handouts/${data.id}.html`;
  $("pdf").href = `/v1/handouts/${data.id}.pdf`;
  const sections = $("sections");
  sections.textContent = "";
  c.sections.forEach((section, i) => {
    const set = document.createElement("fieldset");
    const legend = document.createElement("legend");
    legend.textContent = section.heading;
    set.append(legend);
    if (section.not_covered) {
      const p = document.createElement("p");
      p.className = "hint";
      p.textContent = section.not_covered;
      set.append(p);
    }
    for (const [key, label] of FACETS) {
      const l = document.createElement("label");
      l.textContent = label;
      const area = document.createElement("textarea");
      area.rows = Math.max(2, section[key].length + 1);
      area.value = section[key].join("\n");
      area.dataset.section = String(i);
      area.dataset.facet = key;
      l.append(area);
      set.append(l);
    }
    sections.append(set);
  });
  $("grade").textContent = `${data.quality.fk_grade} (target ${data.quality.target_grade})`;
  const list = $("quality");
  list.textContent = "";
  for (const item of data.quality.items) {
    const li = document.createElement("li");
    li.className = item.status;
    li.dataset.key = item.key;
    li.textContent = `${item.label}: ${item.status}. ${item.reason}`;
    list.append(li);
  }
}

function edited() {
  const content = structuredClone(handout.content);
  content.title = $("title").value.trim() || content.title;
  content.summary = lines($("summary").value);
  for (const area of document.querySelectorAll("#sections textarea")) {
    content.sections[Number(area.dataset.section)][area.dataset.facet] = lines(area.value);
  }
  return content;
}

async function save() {
  const button = $("save");
  button.disabled = true;
  status("Saving…");
  try {
    const data = await call("PUT", `/v1/handouts/${handout.id}`, {
      content: edited(),
      version: handout.version,
    });
    show(data);
    status(`Saved version ${data.version}.`);
  } catch (err) {
    status(err.status === 409 ? `Not saved: ${err.message}` : err.message, true);
  } finally {
    button.disabled = false;
  }
}

$("preview").addEventListener("click", preview);
$("generate").addEventListener("click", generate);
$("save").addEventListener("click", save);
