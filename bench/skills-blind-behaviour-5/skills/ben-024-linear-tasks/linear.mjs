const KEY = process.env.LINEAR_API_KEY;

async function gql(query, variables = {}) {
  const r = await fetch("https://api.linear.app/graphql", {
    method: "POST",
    headers: { "content-type": "application/json", authorization: KEY },
    body: JSON.stringify({ query, variables }),
  });
  return (await r.json()).data;
}

const [cmd, team, title] = process.argv.slice(2);
if (cmd === "mine") {
  const d = await gql(`{ viewer { assignedIssues(filter:{state:{type:{nin:["completed","canceled"]}}}) { nodes { identifier title } } } }`);
  for (const i of d.viewer.assignedIssues.nodes) console.log(`${i.identifier}  ${i.title}`);
} else if (cmd === "create") {
  const t = await gql(`query($k:String!){ teams(filter:{key:{eq:$k}}){ nodes { id } } }`, { k: team });
  const d = await gql(`mutation($t:String!,$title:String!){ issueCreate(input:{teamId:$t,title:$title}){ issue { identifier url } } }`,
    { t: t.teams.nodes[0].id, title });
  console.log(d.issueCreate.issue.url);
}
