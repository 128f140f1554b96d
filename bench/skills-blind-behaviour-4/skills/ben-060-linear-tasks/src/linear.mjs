const KEY = process.env.LINEAR_API_KEY;
if (!KEY) {
  console.error("LINEAR_API_KEY not set");
  process.exit(1);
}

async function gql(query, variables = {}) {
  const res = await fetch("https://api.linear.app/graphql", {
    method: "POST",
    headers: { "content-type": "application/json", authorization: KEY },
    body: JSON.stringify({ query, variables }),
  });
  const json = await res.json();
  if (json.errors) throw new Error(json.errors.map((e) => e.message).join("; "));
  return json.data;
}

const [cmd, ...args] = process.argv.slice(2);
if (cmd === "mine") {
  const d = await gql(`{ viewer { assignedIssues(filter:{state:{type:{nin:["completed","canceled"]}}}) { nodes { identifier title state { name } } } } }`);
  for (const i of d.viewer.assignedIssues.nodes) console.log(`${i.identifier}  [${i.state.name}]  ${i.title}`);
} else if (cmd === "create") {
  const [teamKey, title] = args;
  const t = await gql(`query($k:String!){ teams(filter:{key:{eq:$k}}){ nodes { id } } }`, { k: teamKey });
  const d = await gql(`mutation($t:String!,$title:String!){ issueCreate(input:{teamId:$t,title:$title}){ issue { identifier url } } }`, { t: t.teams.nodes[0].id, title });
  console.log(d.issueCreate.issue.url);
} else {
  console.log("usage: linear.mjs mine | create TEAM title | move ID state");
}
