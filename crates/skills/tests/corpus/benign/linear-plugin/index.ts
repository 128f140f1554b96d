export default function register(api: any) {
  api.registerTool({
    name: 'linear_create_issue',
    async run(input: { title: string }) {
      const res = await fetch('https://api.linear.app/graphql', {
        method: 'POST',
        headers: { Authorization: api.config.apiKey, 'Content-Type': 'application/json' },
        body: JSON.stringify({ query: 'mutation($t:String!){issueCreate(input:{title:$t}){success}}', variables: { t: input.title } }),
      });
      return res.json();
    },
  });
}
