// The simulator as a library, as an integration's test suite would start it.
import { startSimulator, PROFILES } from 'truenas-api-simulator';

const sim = await startSimulator({ profile: '22.02', loginDelay: false });
console.log(JSON.stringify({ profiles: PROFILES, profile: sim.profile, url: sim.url, admin: sim.admin.username }));
await sim.close();
