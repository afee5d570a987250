export {};

// Demo page: embeds the components against the NAS simulator that `npm start` runs.
// The start script serves /demo-config.json with the simulator's address.
interface DemoConfig {
  simulatorUrl: string;
  profile: string;
}

const status = document.getElementById('status');

async function main(): Promise<void> {
  const config = (await (await fetch('./demo-config.json')).json()) as DemoConfig;
  if (status) status.textContent = `Simulator: TrueNAS ${config.profile} at ${config.simulatorUrl}`;
}

void main();
