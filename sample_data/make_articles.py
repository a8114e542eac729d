"""Regenerate sample_data/articles.parquet.

All article text below is hand-written, fictional sample data (invented towns,
companies and people). Each article body is a list of paragraphs joined by a
blank line. Run from anywhere:

    .venv/bin/python sample_data/make_articles.py
"""
import datetime as dt
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

ARTICLES = []


def add(article_id, date, title, text):
    paragraphs = [" ".join(p.split()) for p in text.strip().split("\n\n") if p.strip()]
    assert len(paragraphs) == len(set(paragraphs)), f"repeated paragraph in {article_id}"
    ARTICLES.append({
        "article_id": article_id,
        "published_date": dt.date.fromisoformat(date),
        "title": title,
        "body": "\n\n".join(paragraphs),
    })


add("A001", "2026-10-01", "Harlow City Council Approves $4.2 Million Road Repair Plan After Heated Session", """
The Harlow City Council voted 5-2 late Tuesday night to approve a $4.2 million plan to repave and repair roughly 18 miles of city streets over the next two construction seasons, ending a debate that stretched across three meetings and drew more public comment than any transportation item in recent memory.

The plan, drafted by the city's public works department, prioritizes streets rated "poor" or "failing" in a pavement survey completed last spring. Public Works Director Angela Ruiz told the council that nearly a quarter of Harlow's residential streets now fall into those two categories, up from 14 percent five years ago. "We are past the point where patching makes financial sense on a lot of these roads," Ruiz said. "Every winter we wait, the repair turns into a reconstruction."

The most contentious part of the proposal was the order in which neighborhoods would be served. Residents of the Eastgate and Willow Run neighborhoods packed the council chamber to argue that their streets had been passed over in previous repaving cycles while newer subdivisions on the city's west side received attention. Several speakers brought photographs of potholes they said had damaged tires and wheel rims.

"I have lived on Conover Street for thirty-one years and it has been repaved exactly once," said resident Delores Whitaker, drawing applause from the audience. "I am not asking to go first. I am asking not to go last again."

Councilmember Frank Adeyemi, who represents Eastgate, introduced an amendment moving four Eastgate streets and two Willow Run streets into the first year of the plan. The amendment passed unanimously. Ruiz said the change would push back work on a stretch of Harmon Avenue but would not increase the total cost.

The two votes against the final plan came from Councilmembers Linda Hsu and Paul Gerrity, who both said they supported road repairs but objected to the funding mechanism. The plan draws $1.5 million from the city's reserve fund, which Hsu warned would leave the city with less than the 60 days of operating expenses recommended by its own financial policy. "This is the right project paid for the wrong way," Hsu said.

Mayor Teresa Banning, who does not vote except to break ties, said after the meeting that she was comfortable with the reserve draw because the city expects higher-than-projected sales tax revenue this year. The remaining $2.7 million will come from the state's local road assistance program and the city's existing street maintenance budget.

Construction is expected to begin in April, weather permitting. Public works staff will post a map of scheduled streets on the city website by the end of October and plan to hold a neighborhood meeting in each ward before work begins.
""")

add("A002", "2026-10-02", "Startup Lumenfield Raises $38 Million to Build Battery Diagnostics Software", """
Lumenfield, a three-year-old software company that predicts when industrial batteries are likely to fail, said Thursday it had raised $38 million in new funding, one of the largest early-stage rounds for a climate-focused software startup this year.

The round was led by Oakline Ventures, with participation from existing investors Marigold Capital and the venture arm of utility operator Northgrid Energy. Lumenfield declined to disclose its valuation, but two people familiar with the deal said it was slightly under $200 million.

Founded by former electrical engineers Rosa Delacroix and Imran Qureshi, Lumenfield sells software that reads the voltage, temperature and charge data already produced by large battery installations and uses it to estimate the remaining life of individual cells. Its customers include operators of grid-scale storage sites, electric bus fleets and data centers that keep banks of batteries as backup power.

"Most battery systems are already telling you they're getting sick," Delacroix said in an interview. "The signals are there, they're just buried in millions of data points nobody has time to look at. We surface the handful of modules that need attention this month."

The company says its software can flag a failing module four to six weeks before it would trip a safety alarm, giving operators time to schedule a replacement instead of shutting down a whole site. At one bus depot in the Midwest, Lumenfield says its alerts helped the operator avoid two unplanned outages over the summer.

The stakes are rising as battery storage grows. Utilities installed more grid batteries in the first half of this year than in all of 2023, according to industry estimates, and many of those systems are approaching the age at which cell degradation becomes uneven. A single weak module can limit the output of an entire rack.

Lumenfield has about 70 employees, split between offices in Denver and Toronto, and plans to double its headcount over the next 18 months. Qureshi said much of the new money would go toward hiring field engineers who can help customers connect older equipment that does not report data in standard formats.

Not everyone is convinced that software alone will solve the problem. Karen Mwangi, an energy storage analyst at research firm Brightline Insights, said predictive tools are only as good as the data feeding them. "A lot of the older installations have sensors that drift or simply stop reporting," she said. "The companies that win here will be the ones that can deal with messy, incomplete data, not just the clean demo datasets."

Delacroix acknowledged the challenge. "Half our engineering effort goes into cleaning data," she said. "It's not glamorous, but that's the job."
""")

add("A003", "2026-10-04", "Early Frost Catches Valley Orchards Off Guard", """
A hard frost that settled over the Tessaro Valley early Friday morning arrived nearly three weeks ahead of the historical average, and growers are still assessing how much of the late apple crop was damaged.

Temperatures at the regional airport dropped to 27 degrees Fahrenheit shortly before dawn, and several orchard operators reported readings as low as 24 degrees in low-lying blocks where cold air tends to pool. The National Weather Service had issued a frost advisory Thursday afternoon, but forecasters had predicted lows in the upper 20s only in the valley's northern end.

"We had the wind machines running by two in the morning, and it still wasn't enough in the bottom blocks," said Mark Tessier, whose family has grown apples on 140 acres near Lindell since the 1950s. Tessier said he expected to lose a portion of his Fuji and Pink Lady crops, both varieties that are typically harvested in late October.

Apples can generally tolerate brief dips to around 28 degrees without lasting harm, according to Dr. Helen Ostrowski, a fruit specialist with the state university's extension office. Below that, ice crystals can form inside the fruit, causing internal browning that may not be visible for several days. "The fruit may look fine on the tree this weekend," she said. "The real test is what it looks like after a week in cold storage."

Early-season varieties such as Gala and Honeycrisp were mostly picked before the cold snap, which growers said limited the overall damage. The valley's apple industry is worth roughly $90 million a year, and the late varieties account for about a third of that.

Some growers are also worried about their trees. An early freeze before the wood has fully hardened for winter can damage bark and buds, effects that may not show up until spring. Ostrowski said younger trees planted in the last two or three years are most at risk.

The frost ended what had been an unusually warm September, with 11 days above 85 degrees. Meteorologist Dana Whitcomb of the weather service's regional office said the sudden swing was caused by a strong high-pressure system that pulled Canadian air south behind a cold front. "Clear skies, dry air and calm winds are the perfect recipe for radiational cooling," Whitcomb said. "Those valley floors just dumped their heat overnight."

Temperatures are expected to rebound into the 60s by Sunday. The county agricultural commissioner's office said it would collect damage reports from growers through the end of the month to determine whether the area qualifies for federal disaster assistance.
""")

add("A004", "2026-10-06", "Westbrook Mariners Clinch First Playoff Berth in Eleven Years", """
For eleven seasons, the last home game at Westbrook's Harbor Field has meant the same thing: a polite round of applause, a few fireworks, and a long winter of wondering what went wrong. On Sunday, the Mariners finally gave their fans a different ending.

Westbrook beat the Carlisle Ironmen 4-2 in front of a sellout crowd of 7,812 to clinch the final playoff spot in the Coastal League, snapping the longest postseason drought in the eight-team circuit. Center fielder Danny Osei drove in three runs, including a two-run double in the seventh inning that broke a 2-2 tie and sent the crowd to its feet.

"I've only been here two years, but you feel it," Osei said afterward, his uniform still soaked from the champagne celebration in the clubhouse. "People come up to you at the grocery store and tell you about the '15 team. Now maybe they'll tell their kids about this one."

Starting pitcher Luis Carrasco held Carlisle to two runs over six innings, and closer Brett Haldane struck out the side in the ninth, finishing the game with a 97-mph fastball that Carlisle's Jimmy Vance watched go by for strike three.

The Mariners' turnaround has been one of the stories of the season. The club finished last a year ago with 58 wins, prompting a front office overhaul. New general manager Simone Achebe traded two veteran players for a group of young pitchers and brought in manager Ray Dorsett, who had spent a decade coaching in college.

"Ray made it fun again," Haldane said. "He doesn't yell. He just expects you to know your job."

Westbrook went 81-63 this year and won 19 of its last 26 games to overtake the Port Alder Gulls, who lost five straight in the final week. The Mariners will open a best-of-five first-round series Wednesday on the road against the top-seeded Hartsfield Foxes, who beat Westbrook in 12 of their 18 meetings this season.

Dorsett was not interested in talking about the odds. "We've been underdogs all year," he said. "I don't think anybody in that room minds."

Tickets for a potential Game 3 at Harbor Field on Friday go on sale Monday morning. The team said it expects them to sell out within hours.
""")

add("A005", "2026-10-08", "After the Water: A Year of Rebuilding in Millbrook", """
MILLBROOK — The water line is still there if you know where to look. On the brick wall of Ferrante's Hardware on Main Street, just above the second row of windows, someone has painted a thin blue stripe and the date: October 9, 2025. Joan Ferrante, who has run the store since her father retired in 1998, had the line painted in the spring, after the walls finally dried and the new drywall went up inside. "People kept asking me how high it got," she said. "I got tired of holding my hand up in the air."

A year ago this week, the Sable River rose more than 14 feet in less than a day and poured into this town of 6,800 people, flooding 412 homes, 61 businesses, the elementary school, the fire station and the town's only grocery store. Two people died: Harold Brandt, 81, who was found in the basement of his home on Ferry Road, and Marisol Vega, 34, whose car was swept off County Road 12 as she drove home from a nursing shift in Carver Falls. The damage has been estimated at more than $140 million, a staggering sum for a town whose entire annual municipal budget is about $9 million.

This is a story about what happened after the cameras left. Over the past month, reporters spent time with dozens of residents, town officials, engineers, pastors, teachers and business owners to understand what rebuilding really looks like in a small American town: who has come back, who has not, what decisions were made and who made them, and what Millbrook has learned about living next to a river that its founders chose precisely because it was reliable.

The rain started on the afternoon of October 8. The remnants of a tropical system that had come ashore along the Gulf Coast three days earlier stalled over the region, wrapped around a slow-moving cold front, and wrung itself out. The rain gauge at the Millbrook water treatment plant recorded 9.3 inches in 30 hours. Upstream, in the hills of the Sable's headwaters, some gauges recorded more than 11 inches. The ground was already saturated from a wet September, and almost none of that water soaked in.

Walt Brody, Millbrook's fire chief for the past 16 years, remembers the moment he understood it would be bad. It was a little after 1 a.m., and he was standing on the Depot Street bridge with a flashlight, watching the river. "You could hear trees hitting the bridge supports," he said. "Whole trees. Boom, boom, like somebody knocking on a door. And the water was maybe four feet below the deck and coming up fast." Brody radioed the county dispatch center and asked for every swift-water rescue team they could find.

By 3 a.m., the river had left its banks along a two-mile stretch. By 5 a.m., water was flowing down Main Street. Brody's firefighters, along with volunteers from four neighboring departments and a state police helicopter crew, pulled 187 people from homes and cars over the next 18 hours. The fire station itself flooded to a depth of three feet, and the department moved its command post to the Methodist church on the hill, where it stayed for five weeks.

Pastor Ellis Grant opened the church doors at 2:30 that morning and did not lock them again until Thanksgiving. "I didn't know we were going to be a shelter," he said. "Somebody knocked on the door, soaking wet, with two kids, and I let them in. Then another family came. By sunrise we had a hundred and twenty people in the fellowship hall and no plan at all." Church members brought blankets, coffee makers and casseroles. A retired nurse set up a first aid station in the choir room. The Red Cross arrived the following afternoon and took over operations, but the church remained the town's unofficial center of gravity for months.

When the water receded two days later, it left behind a layer of gray silt, sometimes six inches deep, over everything it had touched. It also left behind a smell that nearly every resident interviewed for this story brought up without being asked: a heavy mixture of river mud, heating oil, sewage and rot. "You never forget that smell," said Denise Okonkwo, whose family's ranch house on Willow Lane took on five feet of water. "Sometimes I still catch it for a second when it rains, and my heart starts pounding."

The Okonkwos are among the families who have come back. Denise, a dental hygienist, and her husband Charles, a mechanic at a trucking company, spent the winter living in a rented camper in a relative's driveway in Lindell, 20 minutes away, while contractors gutted their house to the studs. Their flood insurance policy, which Charles had bought almost on a whim in 2019 after a neighbor's basement flooded, covered about $96,000 of the roughly $150,000 in repairs. They covered the rest with a low-interest disaster loan from the Small Business Administration, which also lends to homeowners, and with their savings. They moved back in May.

Most of their neighbors were not so fortunate. According to figures compiled by the county's long-term recovery committee, only 23 percent of the flooded homes in Millbrook had flood insurance. Standard homeowners policies do not cover flooding, a fact many residents said they learned for the first time in the days after the disaster. Much of the flooded area lay outside the federal 100-year floodplain, where mortgage lenders are not required to insist on flood coverage. "I asked my agent about it once, maybe ten years ago," said Roy Pettibone, a retired machinist whose house on Ferry Road was eventually condemned. "He said I didn't need it. I wasn't in the flood zone. Well, the river didn't look at the map."

Federal disaster assistance helped, but only so much. The Federal Emergency Management Agency approved individual assistance grants for about 340 Millbrook households, with an average payment of a little over $11,000. That money is intended to make a home safe and habitable, not to restore it to its previous condition, and residents described it as a lifeline that ran out quickly. Several said they spent weeks on the phone appealing denials or correcting paperwork. "They lost my documents twice," said Tammy Reyes, a single mother of three. "I had to drive to the disaster recovery center in Carver Falls three times with the same folder."

Into that gap stepped a patchwork of local effort. The Millbrook Rebuild Fund, started by the local Rotary club and a community foundation in Harlow, has raised $2.3 million from more than 9,000 donors and distributed it in grants of up to $15,000 to households with unmet needs. Mennonite Disaster Service crews spent much of the spring and summer rebuilding homes for elderly and low-income residents at no cost for labor. A group of high school shop students, supervised by their teacher, built and installed kitchen cabinets in eleven homes.

Nora Kessel, Millbrook's town administrator, was four months into the job when the flood hit. She had come from a larger suburb near the state capital, where she had managed a planning department of 30 people. In Millbrook, the entire town staff numbers 22, including the police department. "The first week, I was basically a switchboard," she said. "Every state agency, every federal agency, every nonprofit, every contractor, every reporter. I slept on the couch in my office for nine days." She has since hired a full-time recovery coordinator, funded by a state grant, and said the town would not have managed the federal paperwork without that position.

One of the earliest and hardest decisions Kessel and the five-member select board faced was what to do about the lowest-lying neighborhoods. Ferry Road and the streets around it, an area locals call the Flats, had flooded four times in the past 40 years, though never as badly as last fall. Within weeks of the disaster, state emergency management officials raised the possibility of a buyout program, in which the government purchases flood-damaged homes at their pre-flood value, demolishes them and converts the land to permanent open space.

Buyouts are voluntary, and they are slow. Millbrook applied for federal hazard mitigation funds in January, and the first purchase offers did not go out until August. Of the 58 homeowners in the Flats who were eligible, 41 have accepted offers, and 17 have either declined or not yet decided. Some are waiting to see what their neighbors do. Others have already spent their own money on repairs and do not want to leave. "I'm 74 years old. I raised my kids in this house," said Eleanor Marsh, who has lived on River Street since 1971. "Where am I going to go that I can afford, and who's going to be my neighbor there?"

The buyouts have brought an uncomfortable question to the surface: if dozens of families leave the Flats, where will they live? Millbrook had few vacant homes even before the flood, and the rental market has tightened sharply as displaced residents compete with workers for the new distribution warehouse outside Lindell. The median rent for a two-bedroom apartment in the area has risen about 18 percent since last fall, according to a local property management company. Several families who accepted buyouts have moved out of town altogether, to Harlow or Carver Falls or further, taking their children out of Millbrook's schools and their paychecks out of its stores.

Kessel said the town is trying to address that with a small housing development on land donated by the Grange on the north side of town, well above the river. The plan calls for 24 modest single-family homes and a dozen townhouses, with priority given to households displaced by the flood. A nonprofit developer has been selected, and construction could begin next spring if state housing funds come through. "We're not going to be able to keep everybody," Kessel said. "But I'd like to keep everybody who wants to stay."

Downtown posed a different problem. Main Street's two blocks of 19th-century brick storefronts are the heart of Millbrook, and nobody seriously proposed abandoning them. But the flood exposed how vulnerable they are. Water came up through floor drains and basement walls, soaked century-old plaster, and destroyed the electrical panels and furnaces that, in almost every building, were located in the basement. Rebuilding them the same way would leave them just as exposed the next time.

So the town, with help from a preservation architect paid for by a state historic preservation grant, encouraged owners to do something different: move utilities up. In building after building, contractors relocated electrical panels, water heaters and furnaces to the first floor or to small mechanical rooms built at the back of the buildings on raised platforms. Some owners installed flood vents and water-resistant finishes, like tile and cement board, on the ground floor. "It costs more up front," said Marcus Bell, the architect. "But the next flood becomes a week of cleanup instead of a year of reconstruction."

Not every business made it back. Of the 61 businesses that flooded, 44 have reopened, according to the local chamber of commerce. Among those that did not are a florist, a consignment shop, an insurance office that relocated to Lindell, and the Sable Street Diner, which had served breakfast to the town for 37 years. Its owner, Gus Demetriou, was 68 when the flood hit and decided it was time to retire. "I didn't have another rebuild in me," he said. "I'd already rebuilt once, in '96. I told myself that was it." The diner's building has a new tenant, a coffee shop run by two women who moved to Millbrook from the city during the pandemic, and many of the regulars have migrated there.

The grocery store, a family-owned Harper's Market, was the most consequential closure. For three months after the flood, Millbrook residents had to drive 20 minutes to Lindell for groceries, a real hardship for older people who do not drive and for families without reliable cars. The owners, brothers Pete and Sam Harper, debated for weeks whether to reopen. They ultimately did, in January, with the help of a $400,000 low-interest loan from a state economic development fund, new refrigeration equipment mounted on raised platforms, and a community fundraiser that sold $60,000 in gift cards in advance. "People bought groceries they wouldn't get for six months just so we'd have the cash flow," Pete Harper said. "You don't forget that."

Millbrook Elementary School took on nearly four feet of water, destroying its gym floor, library collection, boilers and the classrooms on the ground floor. The school's 310 students spent the rest of the last school year split between two churches and the middle school in Lindell, with buses shuttling children back and forth. Principal Karen Osterhout said the hardest part was not the logistics but the emotional toll. "We had kids who were living in motels, kids sleeping on a grandparent's floor, kids who lost their pets," she said. "Some of them were angry, some of them shut down. Our counselor was seeing twelve, fifteen children a day."

The school reopened in its own building this August, after a $6.8 million renovation funded mostly by insurance and federal public assistance money. The new library is on the second floor. The boilers have been replaced by a rooftop heating system. The gym floor is now a rubberized surface that can be cleaned and dried rather than torn out. On the first day of school, teachers lined the front walk and cheered as students arrived. "Half the staff was crying," Osterhout said. "The kids thought we were being weird."

Mental health has emerged as one of the longer-lasting effects of the disaster, according to residents, clinicians and public health officials. A survey conducted this summer by the county health department found that 38 percent of adults in flooded households reported symptoms consistent with anxiety or depression, about double the rate in the rest of the county. Many described trouble sleeping during heavy rain, and several said they now check river gauge websites compulsively. "Every thunderstorm, I'm up at two in the morning looking at the gauge on my phone," said Denise Okonkwo. "My husband tells me to go back to bed. I can't."

The county responded by placing a licensed counselor in Millbrook two days a week, working out of a room at the public library. The counselor, Amelia Torres, said the demand has been steady and has shifted over time. In the first months, people came in talking about the flood itself. Now, more often, they talk about exhaustion, money, arguments with insurance companies and spouses, and a sense of being forgotten. "There's a kind of grief that comes when the rest of the world moves on and you're still living in the middle of it," she said.

There has also been anger, much of it directed at a single structure: the Millbrook dam, a low concrete spillway built in 1912 about a mile upstream of town to power a long-gone woolen mill. Some residents believe debris piled up against the dam and then released in a surge, worsening the flood. Others believe the dam protected the town by slowing the water. An engineering study commissioned by the state and released in June found that the dam had "no measurable effect" on peak flood levels in town, but that it was in poor condition and should be removed or rebuilt. The report did not settle the argument at the post office or the diner.

The state has since offered to pay for the dam's removal as part of a river restoration project, and the select board voted 3-2 in August to accept. Supporters say removing the dam will improve fish habitat and reduce the risk of a future structural failure. Opponents, including two select board members, say the millpond behind it is part of the town's identity and a popular spot for skating in winter and fishing in summer. "My grandfather skated on that pond. My kids skate on that pond," said board member Dave Lindgren, who voted no. "You take out the dam, you get a muddy creek and a lot of nice words in a report."

The broader question of how to protect Millbrook from the next flood has no easy answer. In the months after the disaster, many residents called for a levee along the river through town. The Army Corps of Engineers conducted a preliminary review and concluded that a levee large enough to contain a flood like last year's would cost roughly $60 million, would require demolishing some of the same homes it was meant to protect, and could worsen flooding for communities downstream. Under federal rules, the project's costs far exceed its calculated benefits, making federal funding unlikely. "People hear that and they think Washington doesn't care about us," Kessel said. "The truth is more complicated. A wall isn't always the answer."

Instead, the town's emerging plan relies on a combination of smaller measures: the buyouts in the Flats, which will create a floodable park along the river; elevation of some homes that remain in flood-prone areas; the dam removal and a reconnected floodplain upstream; improved stormwater drains on the east side of town; and a new early warning system. Those measures will not prevent the river from rising, but engineers estimate they could reduce flood depths downtown by one to two feet in a similar event and, more importantly, get people out of harm's way sooner.

The early warning system is already in place. This summer, the county installed three new river gauges upstream of Millbrook and connected them to an automated alert system that sends text messages to anyone who signs up. Last year, the nearest gauge was 30 miles upstream and reported only once an hour. Now the upstream gauges report every five minutes. More than 2,400 people have signed up for alerts, nearly half the adult population. Chief Brody said the system would have given the town several more hours of warning last October. "Several hours is everything," he said. "That's the difference between knocking on doors and pulling people off roofs."

Brody has also pushed for changes in how the town prepares. The fire department now keeps an inflatable rescue boat and dry suits at a second station on the hill, rather than at the riverside main station. Every household in the Flats that has not accepted a buyout has received a visit from a firefighter and a printed evacuation plan. The town has identified the Methodist church and the high school in Lindell as official emergency shelters and signed agreements with both. "Last year we were making it up as we went," Brody said. "Some of that was unavoidable. Some of it wasn't."

Harold Brandt's death has weighed on many in town. He was a retired postmaster who had delivered mail in Millbrook for 30 years and was, by all accounts, the kind of man who knew everyone's dog by name. Neighbors said he had refused to evacuate on the night of the flood because he did not believe the water would reach his house, which had stayed dry in every previous flood. He went to the basement, apparently to check on his sump pump, and was trapped when the water rose. His daughter, Linda Caruso, who lives in Ohio, said she has made her peace with his decision but wishes someone had been able to persuade him. "He was stubborn," she said. "He'd lived through everything that river had ever done. He thought he knew it."

Marisol Vega's family has channeled their grief into advocacy. Her brother, Daniel Vega, has pushed the county to install automated gates and warning lights at low points on rural roads that frequently flood, including the dip on County Road 12 where his sister's car was swept away. The county has installed gates at four locations so far and plans to add six more next year. "She was driving the way she always drove home," Daniel Vega said. "There was no sign, no barrier, nothing. Now there is. That's something." A small memorial garden in her name was planted this spring outside the clinic in Carver Falls where she worked.

Rebuilding also brought its own hazards. In the weeks after the flood, out-of-state contractors went door to door offering to gut and repair homes, often demanding large cash deposits up front. The state attorney general's office has received 29 complaints from Millbrook residents about contractors who took deposits and either did shoddy work or disappeared. One couple on Birch Street paid $18,000 to a man who installed half their drywall and never returned. The town now keeps a list of licensed local contractors at the front desk of the town office, and the recovery coordinator reviews contracts for anyone who asks. "People were desperate and exhausted, and that's exactly who these guys look for," said Sgt. Kyle Dempsey of the Millbrook Police Department.

Costs rose too. Drywall, lumber and electrical equipment were in short supply across the region for months, and local contractors were booked solid into the summer. Several homeowners said they waited more than four months for an electrician to restore power to their houses. Roy Pettibone said the estimate to repair his home came in at more than the house had been worth before the flood. That was one reason he eventually accepted the buyout offer, though he still drives past the empty lot where his house stood. "I go by and look at the maple tree," he said. "I planted that tree when my son was born. It's the only thing left."

Upstream of Millbrook, the flood looked different but hurt just as much. Farms along the Sable lost topsoil, fences, hay stored for winter and, in a few cases, livestock. Brenda Kowalczyk, who runs a dairy with her husband on 300 acres about four miles north of town, said the river cut a new channel through one of her hayfields and left behind a gravel bar the size of a football field. "We lost about a third of our winter feed in one night," she said. Farm families received some help from a federal emergency conservation program, which paid to remove debris and repair fences, but Kowalczyk said much of the cost fell on them.

Those same upstream farms are now central to the town's flood plans. Hydrologists working with the state have identified about 600 acres of low-lying farmland along the Sable where the river could be allowed to spread out during high water, storing water that would otherwise rush toward Millbrook. Landowners would be paid for conservation easements and compensated when their fields flood. Kowalczyk said she is open to the idea if the payments are fair. "If my field flooding means my neighbor's kid doesn't have to be pulled off a roof, I can live with that," she said. "But I can't eat good intentions, and neither can my cows."

Dr. Priya Venkataraman, a hydrologist at the state university who has studied the Sable River watershed for more than a decade, said last year's flood was not an anomaly so much as a preview. Records kept at a gauge near the river's mouth show that the five largest floods in its 90-year history have all occurred since 1996. Heavy rainfall events in the region have grown noticeably more intense over the same period, she said, consistent with a warming atmosphere that holds more moisture. "The hundred-year flood is a statistical idea built on the past," she said. "The river doesn't know that the past is over. Planning for the flood we had last year is the minimum, not the maximum."

The disaster also reshaped the lives of Millbrook's animals and the people who care for them. The town's small animal shelter, on low ground near the old rail yard, was evacuated by volunteers in canoes at dawn on October 9. All 34 dogs and cats were carried out alive, some in laundry baskets. In the weeks that followed, the shelter took in more than 150 pets whose owners had lost their homes and could not keep them in motels or shelters. Most went back to their families eventually. The shelter reopened in June in a former veterinary clinic on the north side of town, above the river, paid for by donations from animal lovers in 40 states.

For some residents, the paperwork of recovery proved almost as draining as the physical work. Homeowners with flood insurance described months of back-and-forth with adjusters over what had been damaged and what it would cost to replace. Several said their claims were initially undervalued by tens of thousands of dollars and increased only after they hired independent adjusters or enlisted help from a volunteer legal aid clinic organized by the county bar association. The clinic has helped more than 200 Millbrook households with insurance appeals, FEMA denials, landlord disputes and contractor fraud. "We thought it would run for three months," said attorney Grace Liu, who volunteers there. "We're still here every Tuesday."

State lawmakers have taken notice. In the spring legislative session, the district's two representatives introduced a bill requiring insurance agents to tell homeowners in writing that a standard policy does not cover flooding, and to offer flood coverage at each renewal. The bill passed both chambers with broad support and takes effect in January. A second bill, which would have created a state fund to help low-income homeowners pay flood insurance premiums, stalled in committee over its cost. Tammy Reyes, now a select board member, testified in favor of both. "I'm not an expert on anything," she told the committee. "I'm just somebody who found out the hard way what her policy didn't say."

For all the hardship, many residents also describe the past year as a time when the town found out what it was made of. They talk about neighbors with chain saws and pickup trucks showing up unasked, about strangers from three states away who spent their vacations mucking out basements, about a teenager who organized a laundry service for families without working washers. At the Methodist church, a bulletin board in the hallway is covered with hundreds of thank-you notes, many from children. "I've been a pastor for 27 years," Grant said. "I have never seen a community love each other the way this one did last fall. I've also never seen people this tired."

Some of the volunteers who came to help have stayed. Jonah Whitfield, a carpenter from Pennsylvania, arrived with a church group in November, planning to stay a week. He is still here. He rents an apartment above the new coffee shop, has started a small contracting business, and has rebuilt or repaired more than 30 homes. "I kept meeting people who needed help, and I kept saying yes," he said. "At some point I realized I didn't want to leave." He is engaged to a Millbrook teacher he met while rebuilding her classroom's bookshelves.

Others have left for good. The town's population, according to estimates from the regional planning commission, has fallen by about 300 people since the flood, a decline of roughly 4 percent. Most of those who left were renters, who had fewer resources to rebuild and less attachment to a particular house. Kessel worries about the long-term effect on the tax base and on school enrollment, which fell by 27 students this fall. "Every family that leaves is a hole," she said. "Not just in the budget. In the Little League team, in the church choir, in the volunteer fire department."

The flood has also reshaped local politics. In the town election in March, voters ousted two longtime select board members in favor of newcomers who had been active in the recovery: Tammy Reyes, the single mother who had battled FEMA's paperwork, and Luis Alvarado, a contractor who organized volunteer crews. Both said they ran because they felt the town's leadership had been too slow to communicate with residents. Town meetings, which used to draw 40 or 50 people, now regularly draw several hundred, and the debates are sometimes heated. "People are paying attention now," Reyes said. "That's uncomfortable sometimes. It's also good."

There are also signs of renewal that have little to do with recovery plans. A young couple bought the old bank building on Main Street and is converting it into a brewpub, with the brewing equipment on the second floor. The library, which flooded on its lower level, has used donations to build a new children's room. The Little League field in the Flats, which was buried in silt, was restored by volunteers in time for the spring season, and the Millbrook Mudcats, renamed by vote of the players, went 14-4. The team's sponsor this year was Ferrante's Hardware.

On a warm afternoon last week, Joan Ferrante stood behind her counter, ringing up a box of screws and a gallon of paint for a customer she has known since grade school. The store's shelves are full again. The floor is new polished concrete, sealed against water. Her inventory system, which used to live on a desktop computer in the back office, is now in the cloud. She said business is better than it was before the flood, partly because so many people have been rebuilding. She also knows that will not last. "The rebuilding runs out eventually," she said. "Then we find out what kind of town we are when nobody's watching."

Out back, behind the store, the Sable River runs low and clear over the rocks, as calm as anyone here can remember it. Children throw sticks from the Depot Street bridge and watch them float away. The river gauge upstream, mounted on a steel post and powered by a small solar panel, reports a depth of a little under three feet, which is normal for this time of year. Down at the Flats, where 41 houses will soon be gone, the town has planted the first row of river birches along what will become a walking path. The trees are barely taller than the children. In 20 years, if the plan works, they will shade a park that is allowed to flood, so that the rest of Millbrook does not.

The anniversary will be marked Thursday evening with a gathering at the Methodist church, followed by a candlelight walk to the river. Organizers said there will be a moment of silence for Harold Brandt and Marisol Vega, a reading of the names of the volunteer groups that came to help, and a short concert by the high school band. Then, Grant said, there will be food, because in Millbrook there is always food. "We're going to remember," he said. "And then we're going to eat, and laugh, and go home. That's what you do. You keep going."
""")

add("A006", "2026-10-10", "County Health Department Opens Walk-In Flu Clinics at Three Libraries", """
The Tessaro County Health Department will offer free walk-in flu and COVID-19 vaccinations at three public library branches starting next week, part of an effort to reach residents who have trouble getting to a doctor's office or pharmacy during working hours.

The clinics will run Tuesday and Thursday evenings from 4 to 8 p.m. and Saturday mornings from 9 a.m. to noon at the Harlow Central Library, the Lindell branch and the Carver Falls branch through the end of November. No appointment or insurance is required, although residents with insurance are asked to bring their card so the department can bill the insurer.

"We looked at where people already go in the evening and on weekends, and libraries kept coming up," said Dr. Renee Abernathy, the county's health officer. "They're trusted, they're accessible, and they have parking. Honestly, we should have done this years ago."

Last flu season, about 41 percent of county adults received a flu shot, below the state average of 47 percent. Rates were lowest among adults aged 18 to 49 and in the county's rural townships. A survey conducted by the department in the spring found that the most common reasons for skipping the vaccine were lack of time, not having a regular doctor, and uncertainty about cost.

Abernathy said this year's flu season appears to be starting earlier than usual, based on lab reports and school absenteeism data. Hospitals in the region have already reported a handful of influenza admissions, which typically do not appear until November. She urged residents, especially those over 65, pregnant women, young children and people with chronic health conditions, to get vaccinated soon, since it takes about two weeks for protection to build.

Library staff say they are glad to host. "Our building is already a place where people come for help with all kinds of things: job applications, tax forms, internet access," said Yolanda Pierce, director of the Harlow Public Library system. "A flu shot fits right in." The clinics will be held in community meeting rooms, and library programs scheduled in those rooms have been moved.

Each clinic will be staffed by two nurses and a registration volunteer. The department said it has enough vaccine on hand for about 3,000 doses and can order more if demand is high. Children aged 6 months and older can be vaccinated with a parent or guardian present. Spanish-speaking staff will be available at the Lindell and Carver Falls locations.

Residents who cannot visit a library clinic can also get vaccinated at the health department's main office on Fulton Street on weekdays, by appointment.
""")

add("A007", "2026-10-12", "Abandoned Textile Mill Reborn as Artists' Studios in Carver Falls", """
For almost forty years, the four-story brick hulk of the Brennan Textile Mill has loomed over the river in Carver Falls, its windows broken, its smokestack a landmark for drivers on the state highway and its future the subject of endless speculation. On Saturday, the doors opened to the public for the first time since 1987.

The building, now called Brennan Works, has been converted into 46 studios for painters, potters, woodworkers, jewelers and photographers, along with a shared print shop, a ceramics kiln room, a small gallery and a cafe on the ground floor. About 2,000 people toured the building during Saturday's opening, according to organizers, many of them former mill workers and their children.

"My mother ran a loom on the third floor for twenty-two years," said Frances Dillard, 79, standing by a tall window that now looks into a painter's studio. "It was loud and hot and dusty in here. Now it's so quiet. I keep expecting to hear the machines."

The $14 million renovation was led by the Carver Falls Arts Collaborative, a nonprofit founded in 2019, and financed through a combination of federal and state historic tax credits, a loan from a community development lender and about $2.5 million in private donations. The largest single gift, $750,000, came from the family of the mill's last owner, the late Thomas Brennan Jr.

Collaborative director Maya Okafor said the studios rent for between $250 and $700 a month, well below market rates for comparable space in Harlow. Half of the studios are reserved for artists who live in the county. All were leased before the building opened, and there is a waiting list of more than 80 artists. "We knew there was demand," Okafor said. "We didn't know it was this much."

The renovation preserved many of the mill's original features, including the massive timber beams, the maple floors worn smooth by decades of foot traffic, and a set of iron pulleys that once drove the looms through a system of belts. Crews removed nearly 300 tons of debris, abated asbestos and lead paint, and installed a new roof, elevator and sprinkler system.

Town officials hope the project will help revive the surrounding neighborhood, where several storefronts have sat empty for years. A brewery has already signed a lease across the street, and the owner of a nearby vacant hotel said he is exploring a renovation. "This building has been a symbol of what we lost," said Carver Falls Mayor Tom Lindqvist. "I'd like it to become a symbol of what we can build."

Brennan Works will hold open studio hours on the first Saturday of each month. The gallery's first exhibition, a show of photographs of the mill taken over five decades, runs through December 20.
""")

add("A008", "2026-10-14", "Dunmore Foods to Close Bakersville Plant, Cutting 310 Jobs", """
Dunmore Foods said Wednesday it will close its bread and snack cake plant in Bakersville by the end of March, eliminating 310 jobs and ending more than six decades of production at a site that has long been one of the town's largest employers.

In a statement, the company said the decision was part of a plan to consolidate production into two newer, more automated facilities in other states. Dunmore said the Bakersville plant, which opened in 1962, would require about $45 million in upgrades to remain competitive and that demand for some of the products made there, including its packaged cinnamon rolls, has declined in recent years.

"This was a difficult decision, and it does not reflect the dedication of our Bakersville team, who have produced quality products for this community and our customers for generations," Chief Operating Officer Leonard Baines said in the statement. Dunmore said affected employees would receive severance based on years of service and would be offered the chance to apply for positions at other company locations.

Workers learned of the closure at a meeting on the plant floor Wednesday morning. Several said they were stunned. "They just put in a new packaging line two years ago," said Rick Albers, a maintenance technician who has worked at the plant for 19 years. "We thought that meant they were committed to us. I guess not."

The plant's hourly employees are represented by the Bakery, Confectionery, Tobacco Workers and Grain Millers union, which said it would seek to negotiate enhanced severance and extended health coverage. Local union president Sharon Whitley said many workers are in their 50s and have spent their entire careers at the plant. "These are good-paying jobs with benefits, and there's nothing comparable in this county," she said.

The closure is a significant blow to Bakersville, a town of about 11,000 people. The plant pays roughly $600,000 a year in local property taxes and is the largest customer of the municipal water utility. Mayor Gordon Fisk said he had spoken with company executives and with the state commerce department and would push to find a new tenant for the facility. "It's a well-located building with rail access and a skilled workforce," he said. "We will market it aggressively."

The state's workforce agency said it would set up a rapid response center at the plant to help workers apply for unemployment benefits and enroll in retraining programs. The community college in Lindell said it would offer tuition assistance for displaced workers in fields such as industrial maintenance, welding and commercial driving.

Dunmore, which is privately held, employs about 4,200 people nationwide.
""")

add("A009", "2026-10-16", "Amateur Astronomers Help Confirm Orbit of Newly Spotted Comet", """
A comet first spotted last month by an automated survey telescope in Chile has had its orbit confirmed with the help of observations from amateur astronomers, including two members of the Harlow Astronomical Society who photographed it from a farm field west of the city.

The comet, designated C/2026 R4, is a faint visitor from the outer solar system that will make its closest approach to the sun in April. Astronomers currently expect it to remain too dim to see without a telescope, though comets are notoriously unpredictable and could brighten significantly if they release gas and dust as they warm.

When a new comet is discovered, astronomers need precise position measurements taken over several weeks to calculate its orbit. Professional observatories are often busy with other research, so amateur observers with good equipment play an important role, submitting measurements to the international clearinghouse that tracks small solar system bodies.

"We were one of about a dozen groups that sent in positions during the first two weeks," said Ellen Marchetti, a retired high school physics teacher and longtime member of the Harlow society. She and fellow member Raj Deshmukh, a software developer, spent three clear nights in late September imaging the comet with a 14-inch telescope and a cooled astronomy camera. "It looks like a smudge, honestly," Marchetti said. "But it's a smudge that's been traveling for maybe a million years to get here."

The calculations suggest that the comet is on its first trip into the inner solar system from the Oort cloud, a vast region of icy bodies far beyond Neptune. Such comets are of particular interest to scientists because their ices have been largely undisturbed since the formation of the solar system.

Dr. Samuel Achterberg, a planetary scientist at the state university, said the contributions of amateurs are more important than ever as new survey telescopes discover objects faster than professionals can follow them up. "The surveys find thousands of things. Someone has to go back and look again, and again," he said. "Amateurs with decent equipment and a lot of patience are fantastic at that."

The Harlow Astronomical Society, founded in 1958, has about 120 members and operates a small observatory at Linden Park. It holds free public viewing nights on the second Saturday of each month, weather permitting. Marchetti said the group plans to keep tracking C/2026 R4 through the winter and will share images on its website.

"Every comet is different," she said. "We'll find out together what this one does."
""")

add("A010", "2026-10-18", "School Board Delays Vote on Later Start Times for High Schools", """
The Harlow Unified School District board postponed a vote Thursday on a proposal to push back high school start times by 50 minutes, saying it needed more information about the impact on bus routes, after-school jobs and athletics.

Under the proposal, the district's three high schools would begin classes at 8:20 a.m. instead of 7:30 a.m., starting in the fall of 2027. Elementary schools would start about 30 minutes earlier to allow the district to reuse the same buses on staggered routes. The change has been discussed for more than two years and was recommended by a committee of parents, teachers, students and health professionals.

Supporters point to research showing that teenagers' biological sleep patterns shift later during adolescence, making it difficult for them to fall asleep before 11 p.m. The American Academy of Pediatrics recommends that middle and high schools start no earlier than 8:30 a.m. "Right now we are asking kids to learn algebra at an hour when their brains are still asleep," said Dr. Carmen Diaz, a pediatrician who served on the committee.

Several students spoke in favor of the change at Thursday's meeting. "I get up at 5:45 to catch the bus," said junior Eli Nakamura. "By third period half my class is falling asleep. It's not because we're lazy."

But the proposal has drawn opposition from some parents of elementary students, who said an earlier start for young children would mean waiting for buses in the dark during winter months. Others raised concerns about later dismissal times for high school students who work after school or help care for younger siblings. Athletic directors warned that later practices could conflict with limited field lighting and games against schools on earlier schedules.

Transportation Director Glenn Ferris told the board that the district could implement the change without buying more buses, but that some elementary routes would start picking up children as early as 6:55 a.m. That figure drew audible reaction from the audience.

Board President Lorraine Okoye said she supports the idea in principle but wants the administration to study alternatives, including a smaller shift or adjusting middle school times instead of elementary times. "Nobody up here is against kids getting more sleep," she said. "We just want to make sure we're not solving one problem by creating three more."

The board asked staff to return in January with a revised plan and cost estimates. A public survey on the proposal will be open on the district website through November 30.
""")

add("A011", "2026-10-20", "Regional Hospitals Hit by Ransomware; Appointments Rescheduled", """
A ransomware attack on Valley Regional Health, which operates three hospitals and about 20 clinics in the region, has forced the system to reschedule hundreds of non-emergency appointments and revert to paper records while it restores its computer systems, officials said Monday.

The attack was detected early Saturday morning, when staff at Valley Regional's flagship hospital in Harlow noticed that they could not access the electronic health records system. The health system's IT team shut down most of its network to contain the attack, according to a statement from Chief Executive Officer Dr. Martin Kaye.

"Patient safety is our top priority, and all of our hospitals remain open and are providing emergency care," Kaye said. "We are working around the clock with outside experts and law enforcement to restore our systems as quickly and safely as possible."

The health system did not say whether it had received a ransom demand or whether patient data had been stolen. The FBI confirmed it was aware of the incident but declined to comment further. Cybersecurity experts say ransomware gangs increasingly steal data before encrypting systems, then threaten to publish it if they are not paid.

For patients, the effects have been uneven. Emergency departments are operating, but ambulances carrying stroke and heart attack patients were diverted to other hospitals for about 36 hours over the weekend because imaging results could not be shared electronically. Some outpatient surgeries and imaging appointments were postponed. Pharmacies in the health system's clinics are filling prescriptions by hand, leading to longer waits.

"I sat there for two and a half hours to pick up my blood pressure medication," said Walter Greene, 71, outside a clinic in Lindell. "The staff were very apologetic. It's not their fault."

Nurses described long shifts spent writing orders and medication records on paper, then double-checking them. "A lot of the younger nurses have never worked without a computer," said one nurse at the Harlow hospital, who asked not to be named because she was not authorized to speak publicly. "The older ones are teaching them how we used to do it."

Health care organizations have become frequent targets for ransomware because they cannot afford long outages and often run older software. At least 40 U.S. hospital systems have reported ransomware attacks so far this year, according to a tally by a health IT research firm.

Valley Regional said patients whose appointments are affected will be contacted directly and urged patients not to call the hospitals' main lines unless necessary. It did not provide an estimate of when systems would be fully restored.
""")

add("A012", "2026-10-22", "The Quiet Chip: Inside Corvane Semiconductor's Gamble on Ultra-Low-Power Silicon", """
HARLOW — From the highway, Corvane Semiconductor's headquarters looks like any other suburban office park: a low glass building, a half-empty parking lot, a row of young maple trees turning orange. Inside, in a windowless lab on the second floor, an engineer named Tomasz Wrobel is holding a circuit board about the size of a postage stamp up to the light. On it sits a chip that Corvane believes could change how billions of small devices get their power, or could sink the company trying.

The chip, which Corvane calls the Ember E1, is designed to run on almost nothing. Connected to a small solar cell the size of a fingernail, it can sit in a dim warehouse, wake up every few seconds to take a sensor reading, process it, and send a short radio message, without ever needing a battery. Corvane's engineers say it uses about one-twentieth of the power of the most efficient competing microcontrollers on the market when it is idle, and about one-fifth when it is working.

"Most chips are designed to be fast and then made efficient," said Wrobel, Corvane's vice president of engineering. "We started from the other direction. We asked: what is the least energy you need to do something useful, and how do you build a chip around that number?"

That question has consumed the 140-person company for six years and roughly $210 million of investors' money. This fall, Corvane began shipping the E1 in volume for the first time, to a handful of customers building sensors for warehouses, farms and hospitals. The next 18 months will determine whether the company becomes a quiet success in one of the fastest-growing parts of the chip industry or joins the long list of semiconductor startups with clever technology and no market.

Corvane was founded in 2020 by Dr. Adaeze Nwachukwu, then a professor of electrical engineering at the state university, and two of her former graduate students. Nwachukwu had spent a decade researching circuits that operate at extremely low voltages, below the level at which transistors are fully switched on. In that regime, known as near-threshold or subthreshold operation, chips consume dramatically less power, but they also become slower and far more sensitive to small variations in manufacturing and temperature.

For years, the approach was considered an academic curiosity. Chips running at such low voltages were unpredictable: two chips from the same production batch might run at very different speeds, and a single chip might behave differently on a hot afternoon than on a cold morning. "Everybody knew the power savings were there," Nwachukwu said in an interview in her office, where a whiteboard is covered with transistor diagrams and what appears to be a child's drawing of a cat. "The problem was making it reliable enough that somebody would actually bet a product on it."

Her lab's key insight, published in a series of papers between 2015 and 2019, was a way to continuously measure the chip's own behavior and adjust its voltage and timing on the fly, thousands of times per second. Instead of designing for the worst case, as most chips do, the Corvane approach lets each chip find its own sweet spot and stay there as conditions change. The technique requires additional monitoring circuits, which consume some power themselves, but Nwachukwu's team found ways to make them tiny.

Investors were intrigued but cautious. Nwachukwu said she pitched more than 40 venture firms before Corvane raised its first $12 million in 2021, led by a fund that specializes in hardware startups. "A lot of them told me chips were too expensive, too slow, too risky," she said. "A few told me the market was too small. I find that one funny now."

The market she had in mind is the sprawling world of devices collectively known as the Internet of Things: sensors that monitor temperature in refrigerated trucks, moisture in farm fields, vibration in factory motors, occupancy in office buildings, and the position of pallets in warehouses. Industry analysts estimate that tens of billions of such devices are already in use, and that number is expected to keep growing rapidly. Most of them run on batteries, and batteries are their weakest link.

Changing batteries sounds trivial until you multiply it. A large distribution center might have 20,000 sensors on shelves, doors and forklifts. If each battery lasts two years, the facility must replace about 27 batteries every working day, often on ladders, and dispose of the old ones. For a hospital tracking infusion pumps and wheelchairs, or a railroad monitoring thousands of rail cars, the labor cost of battery replacement can exceed the cost of the sensors themselves. "The dirty secret of IoT is that it's really a battery logistics business," said Priyanka Sethi, an analyst who follows the sector for a market research firm.

Removing the battery entirely has long been a goal in the industry. Devices could instead harvest energy from their surroundings: indoor light, temperature differences, vibration, or radio waves. But the amount of energy available from those sources is tiny. A small solar cell under typical office lighting might produce tens of microwatts, a small fraction of what a conventional microcontroller needs when it is actively running. Corvane's pitch is that its chip lowers the bar far enough that harvested energy becomes practical for many applications.

The company's first major customer is Tallis Logistics, a third-party warehousing firm with 36 distribution centers. Tallis is installing about 80,000 battery-free shelf sensors built on the E1 chip in three of its facilities this year, with plans to expand to all of them if the pilot goes well. The sensors track when a shelf location is emptied or restocked and report that information to the warehouse's inventory system, helping workers find misplaced items and reducing the need for manual counts.

"We ran the numbers on the battery version and the labor alone killed it," said Diane Mercer, Tallis's vice president of operations technology. "Battery-free changes the math. You install it once and you forget about it." Mercer said the pilot sensors have been running for five months without a single power-related failure, though she added that some locations at the back of the warehouse, where lighting is dim, required additional solar cells.

Corvane's path to this point was not smooth. The company's first chip design, completed in 2022, was manufactured by a contract foundry and returned from the factory with a flaw in its radio circuit that made it unusable. Fixing the problem and manufacturing a new version cost nearly a year and about $15 million. "That was a very dark winter," Wrobel recalled. "We had a chip that could sip power beautifully and couldn't talk to anybody. A sensor that can't talk is a paperweight."

The setback forced a round of layoffs and a difficult fundraising process in 2023, when venture investors had grown wary of hardware companies. Corvane ultimately raised $60 million, but at a lower valuation than its previous round, diluting the founders and early employees. Several engineers left for larger chip companies. Nwachukwu said she considered stepping down as chief executive in favor of an experienced industry executive but was persuaded to stay by the board. Instead, the company hired a chief operating officer, Michael Farrow, a veteran of two large chipmakers, to manage manufacturing and supply chains.

Farrow's arrival marked a shift in the company's culture. Where Corvane had been run like a research lab, with long debates over technical elegance, Farrow pushed for schedules, customer commitments and "good enough" decisions. "Academics want to be right. Companies need to ship," he said. "Both of those things are valuable, but you need someone in the room who's counting the days." Several employees described tension between the two camps in 2023 and 2024, which they said has eased as the product has reached customers.

The E1 is manufactured at a foundry in Taiwan using a mature production process that is more than a decade old. That choice is deliberate. Older processes are cheaper, more widely available and, for low-power chips, often better, because the newest manufacturing techniques are optimized for speed and leak more current when idle. Corvane says it can sell the E1 at prices comparable to mainstream microcontrollers, roughly a dollar or two per chip in large volumes, which is essential in a market where customers count pennies.

Still, Corvane faces formidable competition. The microcontroller market is dominated by a handful of large companies that ship billions of chips a year, have long relationships with device makers, and offer extensive software tools and support. Several of them have announced their own ultra-low-power product lines, and at least two have acquired startups working on energy harvesting. "The big guys aren't asleep," Sethi said. "Corvane has a real technical lead today. The question is whether it lasts long enough for them to build a business before the incumbents catch up."

Corvane's executives argue that their lead is larger than it appears because the adaptive voltage technology is difficult to replicate and protected by 37 patents. They also point to the software the company has built, which lets developers write programs for the E1 without having to think about its unusual power management. Early on, customers complained that programming the chip was confusing, because code that worked on a normal microcontroller might behave differently when the chip slowed down to save power. The company spent much of last year rewriting its development tools.

Those tools are now the part of the product that Corvane's customers mention most often. Lena Hartmann, a firmware engineer at an agricultural technology startup in Oregon that is using the E1 in soil moisture probes, said her team had their first prototype running in two weeks. "I was expecting pain," she said. "There was some. But their support team answered every question within a day, and the documentation is honestly better than what we get from the big vendors." Hartmann's company plans to deploy 5,000 probes next spring on vineyards and almond orchards.

Energy harvesting also brings new technical challenges that have nothing to do with the chip itself. A battery-free sensor must be able to survive long periods of darkness, such as weekends in a closed warehouse, and restart cleanly when light returns. It must store small amounts of energy in capacitors and decide how to spend them, sometimes delaying a transmission until enough energy has accumulated. Corvane's engineers have written software that predicts how much energy will be available in the coming hours based on recent patterns, and schedules the sensor's work accordingly.

"It's a bit like managing a household budget when your paycheck arrives at random times," said Sunita Rao, who leads Corvane's firmware team. "You learn to save up, you skip the optional stuff when money is tight, and you always keep enough in reserve to call for help." Rao joined the company in 2021 from a smartphone maker, where she worked on battery management. She said the work at Corvane is more constrained and, to her, more interesting. "On a phone, you're saving milliwatts. Here, every microjoule has a name."

The broader semiconductor industry has been in turmoil in recent years, buffeted by shortages, trade tensions and enormous investment in chips for artificial intelligence. Corvane's product is, in many ways, the opposite of an AI chip: tiny, slow and cheap, designed to do very little very efficiently. Nwachukwu said that contrast has occasionally made fundraising harder, as investors chase the latest trend, but has also helped the company stand out. "Everyone is building the biggest, hungriest chips they can," she said. "Somebody has to build the ones that live on sunlight."

Even so, Corvane is exploring whether its technology could eventually play a role in AI at the very smallest scale. The company's engineers have demonstrated a version of the E1 running a simple machine-learning model that can recognize a handful of spoken keywords or detect unusual vibration patterns in a motor, using a fraction of the energy required by conventional chips. A second-generation chip, now in design, will include a small dedicated circuit for that kind of computation. Wrobel declined to say when it might ship.

Corvane's financial position is a subject of close attention. The company said it generated about $9 million in revenue last year, mostly from development kits and early production orders, and expects that figure to roughly triple this year. It is not profitable. Farrow said the company has enough cash to operate into 2028 at its current spending rate, but he acknowledged that it will likely need to raise more money to fund the second-generation chip and expand its sales team. People familiar with the company's discussions said it has held early conversations with potential strategic investors, including at least one large industrial conglomerate.

For the Harlow region, Corvane has become a point of local pride and a small but meaningful economic presence. Most of its employees work at the headquarters, and the company has hired more than 30 graduates from the state university's engineering program. It sponsors a high school robotics team and hosts an annual open house where local students can solder their own simple circuit boards. "We could have located in Silicon Valley or Austin," Nwachukwu said. "I wanted to prove you can build a chip company here. Some days I still feel like I'm proving it."

Hospitals are another early market. St. Brigid Medical Center, a 400-bed hospital in a neighboring state, is testing E1-based tags that track the location of infusion pumps, portable monitors and wheelchairs. Nurses at large hospitals can spend a surprising amount of each shift searching for equipment, and existing tracking tags require batteries that must be replaced by biomedical staff. "Every tag with a dead battery is a pump we can't find," said Gregory Tan, St. Brigid's director of clinical engineering. The hospital's pilot covers two floors. Tan said the tags perform well in patient rooms and hallways, which are lit around the clock, but struggle in storage closets, where lights are often switched off for days at a time.

That limitation points to a deeper debate about energy harvesting. Skeptics argue that the technology works best in carefully chosen environments and that many real-world locations simply do not provide enough ambient energy. "Light is great until somebody puts a box in front of your sensor," said Dr. Martin Oyelaran, an engineer who studies wireless sensor networks at a university in Ohio. "Battery-free is a wonderful goal. But for a lot of applications, a battery that lasts ten years is going to be the pragmatic answer, and the big chip companies are getting very good at that." Corvane's executives acknowledge the point and say the E1 also extends the life of conventional batteries, often by a factor of five or more.

The environmental argument is one Corvane makes often. Billions of small coin-cell and lithium batteries are thrown away each year, and only a small share are recycled. Many end up in landfills, where they can leak metals, or in household trash, where lithium cells occasionally cause fires in garbage trucks and recycling plants. Nwachukwu said the environmental case is not the main reason customers buy the chip, but it increasingly comes up in sales conversations, particularly with European retailers facing stricter rules on battery waste. "Procurement teams care about cost," she said. "But now there is someone in the meeting from the sustainability office, and they ask different questions."

Testing chips that operate at such low power turned out to be its own engineering problem. Standard production test equipment, built to measure chips that draw milliamps, struggled to measure the tiny currents the E1 consumes while asleep. Corvane worked with its test contractor to build custom measurement fixtures and spent months developing a testing procedure that could screen each chip quickly enough to keep costs down. Every E1 is now tested at three temperatures before it ships, and the data from each chip is stored so that the company can trace any field failure back to its production batch. Farrow calls the testing system "the least glamorous competitive advantage in the building."

Security has also become a selling point, somewhat to the founders' surprise. Small connected devices have a long history of poor security, with default passwords and unencrypted communications that make them easy targets for hackers. Customers in health care and logistics now routinely ask for hardware-based encryption and secure firmware updates. Adding those features to a chip that operates on microwatts was difficult, because cryptographic operations are computationally expensive. Corvane designed a small encryption engine that runs only when needed and consumes most of its energy in a few thousandths of a second. "Nobody buys a chip because it's secure," Wrobel said. "But plenty of people won't buy one that isn't."

Corvane's reliance on a single foundry in Taiwan is a risk that investors and customers raise often. Tensions in the region and periodic disruptions, from droughts to power outages, have made many companies wary of depending on one supplier. Farrow said the company has begun the lengthy process of qualifying a second manufacturing source, likely in Japan or the United States, but warned that it would take at least two years and several million dollars. "Moving a chip to a new factory is not like switching printers," he said. "You are essentially redesigning and revalidating. But we have customers asking for it, and they are right to ask."

Inside the company, employees describe a culture that has matured without losing its scrappiness. Engineers still gather on Friday afternoons for what they call "power hour," in which someone presents a measurement that surprised them that week. A wall near the kitchen is covered with dead batteries collected from employees' homes, arranged in the shape of the company's logo, a reminder of what they are trying to eliminate. Jasmine Ortiz, a test engineer who joined after graduating from the state university in 2022, said she turned down a higher-paying offer from a large chipmaker to stay. "Here, I get to touch everything," she said. "If I find a problem on Monday, I can be in the CEO's office explaining it on Tuesday."

Back in the lab, Wrobel places the tiny circuit board under a desk lamp and points to a laptop screen, where a graph shows the chip's power consumption in real time. When he turns the lamp off, the line dips; the chip has gone into a deeper sleep. When he turns it back on, the chip wakes, samples a temperature sensor, transmits a reading to a nearby receiver, and goes back to sleep, all in less than a tenth of a second. On the screen, the spike is barely visible. "That's it," he said. "That's the whole product. It does almost nothing, and it does it forever."

Whether that is enough to build a lasting company remains an open question. Semiconductor history is littered with better technologies that lost to good-enough ones backed by bigger companies. But Corvane's customers seem to be betting that the quiet chip will keep doing its job long after they have forgotten it is there. For a device designed to be ignored, that may be the highest compliment available.
""")

add("A013", "2026-10-24", "Local Marathon Draws Record 9,400 Runners Despite Rain", """
A steady cold rain and a stiff headwind on the final miles did not keep a record field from finishing the 24th annual Harlow River Marathon on Sunday, as about 9,400 runners completed the full marathon, half marathon and 10K races through the city and along the river trail.

Kenyan-born Harlow resident Joseph Kiprono won the men's marathon in 2 hours, 19 minutes and 44 seconds, pulling away from two-time defending champion Alex Brandt near the 22-mile mark. Kiprono, 31, moved to Harlow four years ago to work as a nurse at Valley Regional Hospital and trains before his early shifts, often in the dark.

"I run at 4:30 in the morning, so I am used to the cold and the rain," Kiprono said, wrapped in a foil blanket at the finish. "Today felt like a normal Tuesday, only with more people cheering."

In the women's race, Maggie Sorensen of Lindell, a 27-year-old middle school science teacher, won in 2:41:08 in only her second marathon. She said she had planned to run conservatively but felt strong after the halfway point. "I kept waiting for the wall, and it never really came," she said. "I'm sure I'll feel it tomorrow when I'm teaching."

The marathon's total of about 2,900 finishers was the largest in the race's history, and organizers said registration for all three events was up 18 percent from last year. Race director Beth Galloway credited a new, flatter course that eliminated the long climb up Cedar Hill and a growing number of running clubs in the region. Runners came from 41 states and nine countries.

The weather posed challenges. Temperatures hovered around 46 degrees with rain most of the morning, and gusts along the riverfront reached 25 miles per hour. Medical tents treated about 140 runners, mostly for mild hypothermia and cramping, and six were taken to the hospital for evaluation, according to race officials. None had serious injuries.

Spectators lined much of the course despite the conditions, many holding umbrellas and homemade signs. At the corner of Fifth and Maple, a group of residents has set up a tent with music and hot apple cider for runners every year since 2009. "We don't know most of them, but we cheer like we do," said organizer Phyllis Dunham.

The race raised about $310,000 for local charities, including the county food bank and a youth running program that provides shoes and coaching to children in low-income neighborhoods. Next year's marathon is scheduled for October 24, 2027, and registration opens January 1.
""")

add("A014", "2026-10-26", "Remnants of Tropical Storm Ines Bring Flash Flood Warnings to Coastal Counties", """
The remnants of Tropical Storm Ines dumped more than six inches of rain on parts of the coast overnight, triggering flash flood warnings in four counties, closing dozens of roads and prompting several water rescues before dawn Monday.

The storm, which weakened to a tropical depression after moving ashore Saturday hundreds of miles to the south, tracked northeast along a stalled front and stalled for several hours over the coastal plain. The National Weather Service reported 6.8 inches of rain at Port Alder and more than 7 inches at a volunteer weather station near Seabright. Rainfall rates topped two inches an hour for a stretch late Sunday night.

"When you get rainfall rates like that over urban areas, the storm drains simply can't keep up," said meteorologist Jordan Pike of the weather service office in Harlow. "That's what we saw in Port Alder. The water had nowhere to go but into the streets."

Emergency crews in Port Alder rescued 14 people from vehicles stranded in floodwaters, according to Fire Chief Linda Vasquez. Most of the rescues occurred at underpasses and low-lying intersections that routinely flood in heavy rain. "Every single one of these people drove into water they couldn't see the bottom of," Vasquez said. "Please, turn around. It is never worth it."

No deaths or serious injuries were reported. About 22,000 customers lost power at the peak of the storm, mostly because of trees falling on lines in saturated soil, according to the regional utility. By Monday afternoon, that number had dropped to about 6,000. The utility said most remaining customers would be restored by Tuesday night.

Several school districts in the coastal counties canceled classes Monday, and the state transportation department closed portions of two state highways because of standing water. A section of Route 17 near Seabright remained closed Monday afternoon after floodwater undermined the shoulder and caused a partial collapse of the pavement.

Inland areas, including Harlow, received lighter totals of one to two inches, and the Sable River and other larger rivers were expected to rise but stay below flood stage. Forecasters said the ground in the coastal region was relatively dry before the storm, which helped limit river flooding.

The rain was expected to taper off by Monday evening, followed by clearing skies and cooler temperatures. Forecasters said highs would reach only the mid-50s on Tuesday and Wednesday, with lows near 40. The Atlantic hurricane season officially runs through November 30, and forecasters said they were watching another area of disturbed weather in the Caribbean, though it posed no immediate threat.
""")

add("A015", "2026-10-28", "Family-Owned Hardware Chain Sold to Employees in Rare Ownership Deal", """
Pettigrew Hardware, a family-owned chain of nine hardware and farm supply stores across the region, will become fully owned by its employees under a deal announced Tuesday, a move its owners say will keep the company locally controlled after the family's third generation retires.

Under the arrangement, the company will be purchased over time by an employee stock ownership plan, or ESOP, a type of retirement trust that holds shares on behalf of workers. The plan's purchase will be financed through a bank loan and a note held by the Pettigrew family, which will be repaid from company profits over about 12 years. Financial terms were not disclosed.

"We had offers from two national chains and a private equity firm," said Carol Pettigrew, 66, who has run the company with her brother, Dale, since 1995. "Any of them would have paid more up front. But we'd have watched them close stores, cut people, and put their name over the door. We couldn't do that to the people who built this company with us."

Pettigrew Hardware was founded in 1948 by Carol and Dale's grandfather, Lester Pettigrew, as a single store in Bakersville selling nails, feed and kerosene. It now employs about 260 people and has annual sales of roughly $70 million. Its stores are known for a deep inventory of hard-to-find parts and for staff who will spend twenty minutes helping a customer find the right washer for a faucet.

Under the ESOP structure, employees do not pay for their shares. Instead, shares are allocated to their retirement accounts each year based on their pay and length of service, and they receive the value of their shares when they retire or leave the company. Full-time and part-time employees who work at least 1,000 hours a year will participate.

About 6,500 U.S. companies are at least partly owned through ESOPs, according to a national research group, but they remain relatively rare among retailers. Supporters say employee ownership improves retention and gives workers a stake in the company's success. Critics note that ESOP companies can carry significant debt from the buyout and that employees' retirement savings may be concentrated in a single company.

Employees reacted with surprise and enthusiasm when the plan was announced at a company meeting Tuesday morning. "I've worked here twenty-two years and I never thought I'd own a piece of it," said Ramon Esquivel, manager of the Lindell store. "It's going to change how people think about their jobs."

The Pettigrews will remain on the board for at least three years to help with the transition. Longtime chief operating officer Beverly Nash will become the company's first chief executive from outside the family. Nash said no changes to store operations or staffing were planned.
""")

add("A016", "2026-10-30", "Harlow Symphony Premieres Work by 24-Year-Old Local Composer", """
When the final chord of "Riverlines" faded in the Harlow Civic Auditorium on Saturday night, there was a moment of complete silence. Then the audience of about 1,400 rose to its feet, and a young woman in a borrowed black dress walked nervously onto the stage to take a bow beside conductor Rafael Montoya.

The composer, Nadia Okonjo, is 24, grew up on the east side of Harlow and studied viola in the city's public school music program before attending conservatory. "Riverlines," a 22-minute orchestral work commissioned by the Harlow Symphony for its 75th anniversary season, is the first piece she has heard performed by a full professional orchestra.

"I've heard it in my head for two years and on a computer with fake instruments," Okonjo said after the concert, still visibly shaken. "Hearing eighty real people play it is completely different. The low brass in the second section almost knocked me over, and I wrote it."

The piece is structured in four connected sections, each inspired by a different stretch of the Sable River as it flows from the hills through farmland, small towns and finally the city. Okonjo said she spent weeks walking along the river with a notebook, recording sounds and sketching melodies. The work begins with a quiet, shimmering passage for strings and harp, builds to a turbulent central section depicting a flood, and closes with a slow, hymn-like melody for solo viola, which Okonjo said was a tribute to her first teacher.

That teacher, retired Harlow public schools music instructor Gerald Pinkney, was in the audience. "She was eleven years old and she was already writing little pieces in the margins of her exercise book," Pinkney said. "I told her mother then, this girl is going to write for orchestras. I'm just glad I lived to see it."

Montoya, who has led the orchestra since 2018, said the commission was part of a broader effort to perform more new music and to showcase artists with local roots. "An orchestra that only plays music by people who have been dead for a century is a museum," he said. "Museums are important, but we want to be a living thing."

Reviews were enthusiastic. A critic for the regional arts magazine Stagelight called the piece "assured, generous and genuinely moving," while noting that the middle section "occasionally leans on volume where it might lean on ideas."

The concert, which also included Dvořák's Symphony No. 9, will be repeated Sunday afternoon. The orchestra said it plans to record "Riverlines" next year for release on streaming platforms.
""")

add("A017", "2026-11-01", "Study Finds Walking Groups Cut Loneliness Among Older Adults", """
Older adults who joined a weekly community walking group reported significantly less loneliness after six months than those who did not, according to a study by researchers at the state university's school of public health published this week in a peer-reviewed journal on aging.

The study followed 412 adults aged 65 and older in Harlow and three surrounding towns. Half were randomly assigned to join walking groups that met twice a week for an hour, led by trained volunteers, while the other half received printed information about the benefits of exercise. Participants completed standard questionnaires about loneliness, mood and physical health at the start of the study and again after three and six months.

After six months, participants in the walking groups scored about 20 percent lower on a widely used loneliness scale than those in the comparison group. They also reported modest improvements in mood and sleep. Researchers found smaller improvements in physical measures, such as walking speed and balance.

"Exercise was the hook, but connection was the medicine," said Dr. Linh Tran, the study's lead author. "A lot of participants told us that the walking was nice, but what kept them coming back was the coffee afterward, the phone numbers they exchanged, the friend who noticed when they weren't there."

Loneliness and social isolation have been linked to higher risks of heart disease, stroke, dementia and early death. Surveys suggest that roughly a third of older adults in the United States feel lonely at least some of the time. The problem has drawn increasing attention from public health officials since the pandemic, which cut many older people off from family, friends and community activities.

Tran said the study's design, which randomly assigned participants to groups, makes it stronger than many earlier studies that simply compared people who chose to exercise with those who did not. But she noted several limitations, including that most participants were women and that the study did not follow people beyond six months.

Some participants have kept walking long after the study ended. Margaret Holloway, 78, a retired librarian in Lindell, still meets her group every Tuesday and Friday at the town green. "I moved here after my husband died and didn't know a soul," she said. "Now I have eleven people who will call me if I don't show up. That's worth more than any pill."

The county health department said it plans to use a state grant to expand volunteer-led walking groups to six more towns next spring.
""")

add("A018", "2026-11-03", "Researchers Map Underground Aquifer Beneath Redfield Plains", """
A team of geologists has produced the most detailed map yet of the Redfield aquifer, a vast layer of water-bearing sand and gravel beneath the farmland of the Redfield Plains, and the results suggest the underground reservoir is both larger and more vulnerable than previously believed.

The three-year project, led by the state geological survey with funding from the state and several irrigation districts, used a helicopter towing an electromagnetic sensor to measure the electrical properties of the ground to depths of about 1,000 feet. Water-saturated sand and gravel conduct electricity differently than clay or bedrock, allowing scientists to distinguish aquifer layers from the materials around them.

"It's like getting an X-ray of the whole valley at once," said Dr. Rebecca Halvorsen, the survey geologist who led the work. "Before, we had a few hundred wells scattered across 900 square miles and a lot of educated guessing in between. Now we can actually see the shape of the thing."

The survey found that the aquifer extends about 15 percent farther to the east than earlier maps showed and contains an estimated 30 percent more water in storage. But it also revealed that in several areas, a protective clay layer that was thought to separate the aquifer from the land surface is thin or absent. In those places, fertilizers, pesticides and other contaminants can seep more easily into groundwater.

That finding matters because nearly 60,000 people in the region rely on the aquifer for drinking water, most of them through private wells. County health officials have long known that nitrate levels in some wells exceed federal safety limits, particularly in the southern part of the plains, but they have not always been able to explain why some areas are worse than others.

"The map lines up remarkably well with the nitrate data," Halvorsen said. "The wells with the highest levels are right where the clay layer disappears."

Farmers and irrigation districts, which pump large volumes of water from the aquifer to grow corn, soybeans and vegetables, have generally welcomed the survey. Tom Reinholt, manager of the Redfield Irrigation District, said the new information would help districts place wells more efficiently and plan for drought. "You can't manage what you can't see," he said.

Environmental groups said the findings should prompt stronger protections in areas where the aquifer is most exposed, such as limits on fertilizer application near vulnerable zones or incentives for farmers to plant cover crops. The state agriculture department said it would review the findings and consult with farm groups before proposing any changes.

The full map and data will be made public on the geological survey's website by the end of the year.
""")

add("A019", "2026-11-05", "The Last Hospital on Route 9", """
GARRISON — At 3:40 on a Tuesday morning, the only sound in the emergency department at Pine Hollow Community Hospital is the hum of a vending machine and the soft beep of a heart monitor in Bay 2, where a 67-year-old farmer with chest pain is waiting for his second blood test. Dr. Nathan Greer, the physician on duty, has been awake for 20 hours. He is the only doctor in the building, and for 40 miles in any direction.

"If this is a heart attack, I have about thirty minutes to decide whether to give him a clot-busting drug or put him in a helicopter," Greer said quietly, scrolling through the man's electrocardiogram on a computer screen. "Sometimes both. The nearest cath lab is an hour and fifteen minutes by ambulance, if the roads are good. In February, the roads are not good."

Pine Hollow, a 25-bed hospital in a town of 3,100 people at the northern edge of Tessaro County, is the last hospital on a 90-mile stretch of Route 9 that winds through dairy farms, state forest and a string of small towns whose populations have been shrinking for decades. For the roughly 22,000 people who live within its reach, it is the difference between a short drive and a long one when a child stops breathing, a logger cuts his leg with a chain saw, or a grandmother falls on an icy step.

This year, Pine Hollow came very close to closing. In March, its board of directors was told that the hospital had enough cash to operate for about 40 more days. It had lost money in seven of the previous eight years. Its labor and delivery unit had already closed in 2024. Two of its three family physicians were over 60, and it was paying traveling nurses nearly twice what it paid its own staff to keep the emergency room and inpatient floor open. "We were out of options, or so it seemed," said board chair Ruth Sandoval, a retired schoolteacher. "We had a meeting where we talked seriously about who would turn off the lights."

Pine Hollow's story is not unusual. More than 150 rural hospitals across the United States have closed or stopped providing inpatient care since 2010, according to researchers who track closures, and hundreds more are considered financially vulnerable. The reasons are familiar to anyone who has worked in rural health care: aging and shrinking populations, a high share of patients covered by Medicare and Medicaid, which pay less than private insurers, difficulty recruiting doctors and nurses, and a health care system that increasingly channels profitable procedures to large regional medical centers.

What makes Pine Hollow worth examining is what happened next. Over the past eight months, the hospital has gone through a wrenching transformation that kept its doors open but changed what it is. It has given up its inpatient beds and converted to a new federal designation known as a Rural Emergency Hospital, which provides emergency care and outpatient services but does not admit patients overnight. In exchange, it receives a fixed monthly payment from Medicare of more than $270,000, plus higher payment rates for outpatient care.

The decision was agonizing, and not everyone agrees it was the right one. For some in Garrison, the loss of inpatient beds felt like the loss of the hospital itself. "My father died in Room 114," said Edna Kowalski, 72, who has lived in Garrison her whole life. "My kids were born upstairs. Now they tell me it's still a hospital, but you can't stay there. What kind of hospital can't you stay in?"

Hospital leaders say the answer is a hospital that can survive. Chief Executive Officer Darnell Whitaker, who took the job in 2023 after running a rural clinic network in another state, said the inpatient unit had an average of 3.2 patients a night last year, while requiring round-the-clock nursing and support staff. "We were spending enormous amounts of money to keep twenty-five beds ready for three patients," he said. "Meanwhile, the emergency room, the clinic and the lab, which serve hundreds of people a week, were starving. That isn't sustainable, and it isn't the best care either."

The emergency department is the heart of what remains. It sees about 7,500 visits a year, roughly 20 a day, a mix of true emergencies and problems that could be handled in a doctor's office if one were available. Whitaker said about 8 percent of emergency patients need to be transferred to a larger hospital for admission or specialized care. Under the old model, some of those patients would have stayed at Pine Hollow. Now they are transferred, usually to Valley Regional in Harlow, 52 miles away, or to St. Brigid Medical Center across the state line.

Those transfers have become one of the central challenges of the new arrangement. Ambulances are scarce in rural areas, and Garrison's volunteer ambulance squad has struggled for years to find enough members. When Pine Hollow needs to send a patient to Harlow, an ambulance and its crew may be gone for three or four hours, leaving the area with less coverage. On several occasions this summer, the hospital had to wait more than two hours for a transfer ambulance to arrive from another county.

To address the problem, the hospital has partnered with a regional ambulance company to station a dedicated transfer ambulance in Garrison, staffed by paramedics, 24 hours a day. The cost, about $900,000 a year, is covered partly by the hospital and partly by a state rural health grant that expires in two years. "It's the single most important thing we've done," Greer said. "A rural emergency hospital without reliable transfers is a very expensive waiting room."

The loss of labor and delivery services two years ago remains a sore point. Pregnant women in the Pine Hollow area now drive an hour or more to give birth, and several have delivered in ambulances or, in one widely discussed case last winter, in a pickup truck on the shoulder of Route 9. Nurses at Pine Hollow's emergency department have received additional training in emergency deliveries, and the hospital keeps a delivery kit and an infant warmer on hand. But staff say they worry about complicated births. "We can catch a baby," said nurse manager Colleen Hartley. "What keeps me up at night is a bleeding mother and no blood bank surgeon within an hour."

Prenatal care, however, has stayed local, and in some ways has improved. Pine Hollow's outpatient clinic now hosts a certified nurse-midwife three days a week and offers telehealth visits with obstetricians at Valley Regional. Expectant mothers can have ultrasounds and lab work done in Garrison. In their final weeks of pregnancy, women who live far from the hospital can stay for free at a small apartment near Valley Regional that was donated by a local family foundation.

Behind the clinical changes lies a story about money. Pine Hollow's annual budget is about $28 million. Under the old model, it lost an average of $2 million a year, covered by a dwindling endowment, occasional state bailouts and the sale of a piece of land it once owned near the town center. Under the new model, the hospital projects a small surplus this year, driven by the fixed Medicare payment, lower staffing costs and the growth of outpatient services. Whitaker cautioned that the projections depend on federal policy. "The payment we get is set by Congress," he said. "If they change it, we're back where we started."

That uncertainty weighs on rural health advocates. The Rural Emergency Hospital designation was created by Congress in 2020 and took effect in 2023, and only a few dozen hospitals have adopted it so far. Some hospital leaders have been reluctant because of the loss of inpatient beds, the rules that prevent converted hospitals from changing course easily, and doubts about whether the payments will keep pace with costs. "It is a lifeline, but it's a thin one," said Dr. Maria Ochoa, who directs a rural health research center at the state university. "For some hospitals it makes sense. For others it's a way of managing decline rather than reversing it."

At Pine Hollow, the conversion required laying off or reassigning 47 employees, most of them nurses and aides on the inpatient floor. Some took jobs in the expanded outpatient clinic or emergency department, some retired, and about 20 left the hospital altogether. For a town the size of Garrison, where the hospital is the second-largest employer after the school district, the job losses were significant. "Everybody knows somebody who got a letter," said Mayor Jim Tolliver.

Ashley Brennan, a registered nurse who worked on the inpatient floor for 11 years, was one of those who stayed. She now runs the hospital's new infusion clinic, where patients receive chemotherapy, antibiotics and other intravenous treatments that once required a trip to Harlow. "I cried when they closed the floor," she said. "That was my family up there. But now I see cancer patients who used to drive two hours each way for a treatment that takes forty minutes. One of my patients told me she'd been planning to stop her chemo because the drive was too hard. Now she doesn't have to."

The infusion clinic is part of a broader strategy to bring services back to Garrison that had drifted away to larger hospitals. The hospital has added a part-time cardiologist who visits twice a month, a podiatrist, a physical therapy program, a sleep lab and a mental health counselor. It has expanded its imaging department with a new CT scanner, financed through a low-interest federal loan, which means patients with head injuries or abdominal pain can be diagnosed on site rather than transferred. "Every service we bring back keeps people here and keeps dollars here," Whitaker said.

Telehealth has also become central to how Pine Hollow operates. At night, when Greer or another physician is alone in the emergency department, they can call a neurologist at Valley Regional who examines stroke patients by video and helps decide whether to give clot-dissolving medication. A pharmacist in another state reviews medication orders remotely. Psychiatric patients in crisis, who once waited days in the emergency department for a bed at a mental health facility, can now be evaluated by a psychiatrist by video within hours, though finding an available psychiatric bed remains a problem.

Mental health, in fact, may be the most difficult gap to fill. Tessaro County's northern townships have high rates of suicide and overdose, and there is no inpatient psychiatric unit within 100 miles. Pine Hollow's emergency department sees several patients a week in mental health crisis, and staff said some have waited more than 48 hours for a psychiatric placement, sitting in a small room under observation. "We are not designed to be a psychiatric hospital, and we don't have the staff for it," Hartley said. "But we're the only door that's open at three in the morning."

Recruiting staff to a remote town has always been hard, and the pandemic made it harder. Pine Hollow has tried several strategies. It offers student loan repayment of up to $100,000 for physicians and nurse practitioners who commit to five years. It has partnered with the state university's medical school to host third-year students for rural rotations, hoping some will return. It has started a program with the local high school that allows students to train as certified nursing assistants and emergency medical technicians before they graduate, with the hospital paying for their training.

Dr. Kavya Raman is one of the recruits. She finished her family medicine residency in Chicago last year and took a job at Pine Hollow partly because of the loan repayment program and partly, she said, out of curiosity. "I wanted to practice the kind of medicine where I actually have to know everything," she said. "In the city, there's always a specialist down the hall. Here, sometimes the specialist is me and a textbook." She lives in a rented farmhouse outside town and said she has been surprised by how quickly she has been welcomed. "People bring me eggs," she said. "I have more eggs than I know what to do with."

Community support has been a constant theme in Pine Hollow's survival. When news of the hospital's financial crisis became public in the spring, residents organized a fundraising campaign that raised $1.1 million in three months, from bake sales, a tractor pull, a benefit concert by a country band whose drummer grew up in Garrison, and a $250,000 gift from a retired couple who asked not to be named. The local lumber company donated the materials to renovate the clinic's waiting room. Students at Garrison High School painted a mural in the hallway outside the emergency department depicting the hills, the river and the town's covered bridge.

"People here don't have a lot of money," Sandoval said. "But they showed up. A farmer came in with a coffee can full of five-dollar bills and said it was from his milking parlor tip jar. I don't think I've ever been so moved by a coffee can."

Still, there are limits to what a community can give. The hospital's buildings are old, and its roof, heating system and elevators need about $8 million in repairs over the next decade. Its electronic health records system is outdated and does not communicate easily with those of larger hospitals. Whitaker said Pine Hollow is exploring a formal affiliation with Valley Regional or another health system, which could provide financial backing, shared services and easier transfers. Such arrangements have helped some rural hospitals survive, but they can also lead to cuts if the larger system decides local services are not worth the cost.

The hospital's finances are reviewed every month by a committee of board members, staff and two residents chosen at a town meeting, an arrangement Sandoval pushed for after the spring crisis. The committee publishes a one-page summary in the weekly Garrison Gazette, listing the hospital's cash on hand, patient volumes and major expenses. "For years, people here found out the hospital was in trouble by reading it in the Harlow paper," Sandoval said. "That was wrong. It's their hospital. They should know how it's doing before anyone else does."

Some residents are wary. "Valley Regional has its own problems," said Tolliver, referring to a recent ransomware attack and financial losses at the larger system. "I don't want us to become a line item in somebody else's budget. We've seen what happens when decisions about this town get made in an office in Harlow." Whitaker said any affiliation would include guarantees that the emergency department and core services would stay open.

Early data from the first months after the conversion are cautiously encouraging. Emergency department visits rose about 6 percent compared with the same period last year, which Whitaker attributes partly to shorter waits and partly to the new imaging equipment. The average time from a patient's arrival to a decision about transfer has fallen from nearly three hours to a little over 90 minutes. The hospital has not recorded any deaths during or shortly after transfer, though Greer said the numbers are too small to draw firm conclusions. "I'll believe we got this right when we've been through a bad winter and a bad flu season," he said.

Older residents, who make up a growing share of the area's population, have been among the most affected by the loss of inpatient beds. In the past, an elderly patient with pneumonia or a urinary tract infection might have spent three or four days at Pine Hollow, close to family. Now such patients are transferred to Harlow, where relatives without reliable cars struggle to visit. To soften the impact, the hospital has expanded a home health program that sends nurses to check on patients after they are discharged from larger hospitals, and it has worked with a nursing home in Garrison to reserve two beds for short-term rehabilitation.

Winter is the season everyone at Pine Hollow talks about. Route 9 climbs over two ridges between Garrison and Harlow, and during heavy snow or ice, the road can close for hours. Medical helicopters cannot fly in low clouds or freezing rain. Last January, during a two-day ice storm, the hospital kept a patient with a broken hip for 31 hours because no ambulance could safely reach Harlow. Under the new designation, hospitals are generally expected to keep patients for no more than 24 hours, but federal rules allow exceptions in emergencies. "The rules were written by people who have never driven Route 9 in an ice storm," Hartley said.

Even basic dental care has become part of the hospital's mission. Emergency physicians at Pine Hollow say one of the most common reasons people come in at night is tooth pain, often from infections that have gone untreated for months because the nearest dentist who accepts Medicaid is two counties away. This fall, the hospital partnered with a mobile dental program run by the state dental school, which parks a fully equipped van in the hospital lot two days a month. In its first visit, the van's dentists pulled 43 teeth, filled dozens of cavities and saw a waiting list grow to more than 200 names.

Back in the emergency department, the farmer's second blood test comes back. His troponin level, a marker of heart damage, has risen slightly. Greer calls a cardiologist at Valley Regional, who reviews the results and the electrocardiogram remotely. Together, they decide that the patient should be transferred for further testing, but that it is not an emergency requiring a helicopter. The transfer ambulance, parked in the bay outside, is ready in 15 minutes. By 5:30 a.m., the farmer is on his way down Route 9, his wife following in their pickup.

"Two years ago, that could have taken four hours to arrange," Greer said, watching the ambulance's taillights disappear into the dark. "He might have sat here all day waiting for a ride. Today it took a phone call." He paused, then added: "We're not the hospital we used to be. But we might be the hospital this town actually needs. I hope so, because there isn't another one coming."

Outside, the sky over the hills is beginning to lighten. In a few hours, the clinic will open, and the waiting room will fill with patients: a child with an ear infection, a man with diabetes checking his blood sugar, a woman coming in for her third round of chemotherapy. The parking lot will fill with pickup trucks. And the sign at the entrance, which has read "Pine Hollow Community Hospital" since 1954, will keep saying the same thing it always has, whatever the federal government decides to call the building behind it.
""")

add("A020", "2026-11-07", "Voters Approve Library Levy, Reject Stadium Bond in Split Decision", """
Harlow voters on Tuesday approved a property tax levy to expand library hours and renovate two aging branches, while decisively rejecting a $62 million bond measure that would have helped pay for a new downtown stadium for the city's minor league soccer team.

With all precincts reporting, the library levy passed with 58 percent of the vote. The stadium bond failed, with 64 percent voting against it. Turnout in the city was about 51 percent, high for a midterm election, which election officials attributed in part to interest in the two local measures and a competitive race for the state legislature.

The library levy will add about $4.10 a month in property taxes for the owner of a home valued at $200,000, according to the county auditor. It will raise roughly $3.8 million a year for ten years. The library system plans to use the money to restore Sunday hours at all branches, which were cut in 2020, renovate the Eastgate and Northside branches, and expand programs for children and job seekers.

"Tonight, Harlow voters said that libraries matter," library director Yolanda Pierce told supporters gathered at a coffee shop near the central library. "We heard from so many people during this campaign about what the library means to them, from parents to retirees to people who come in every day to use the computers because they don't have internet at home."

The stadium measure, backed by the team's owners, the Harlow Chamber of Commerce and Mayor Teresa Banning, would have funded about half the cost of a 9,000-seat stadium on a former rail yard east of downtown. Supporters argued that the stadium would attract visitors, spur development in a long-neglected area and keep the Harlow River FC from relocating. Opponents, led by a coalition of neighborhood groups and a local taxpayers' association, said public money should not subsidize a privately owned sports franchise, particularly while the city faces road repair and housing needs.

"People love the team. They just don't want to buy the team a stadium," said Marcus Odell, a spokesman for the opposition campaign. "This was never about soccer. It was about priorities."

Team owner Gina Castellano said in a statement that she was disappointed but would continue to look for a path forward. She did not address the possibility of moving the team, which has been raised by some stadium supporters in recent months. The team's lease at its current home, a renovated high school stadium, runs through 2028.

Banning said she respected the voters' decision. "The message is clear, and I hear it," she said. "If there's going to be a stadium, it's going to need a different financing plan, and it's going to need to start with the neighborhoods around it."

Results will be certified by the county board of elections later this month.
""")

add("A021", "2026-11-09", "City Pilots AI Transcription for Council Meetings, Raises Privacy Questions", """
Harlow will begin using artificial intelligence software to produce transcripts and summaries of city council and committee meetings next month, a move city officials say will make local government more accessible but that some residents worry could lead to errors and misuse of public comments.

The six-month pilot, approved by the council on a 6-1 vote, will use a commercial speech recognition and summarization service to generate searchable transcripts of public meetings within a day, along with short written summaries of major decisions. Currently, the city clerk's office produces formal minutes, which can take two weeks or more to be approved and posted, and video recordings that are not searchable.

"People should be able to find out what their council did last night without sitting through a four-hour video," said City Clerk Janet Moreau. "This isn't about replacing the official minutes. It's about giving people a faster way in."

The contract, with a company called Civicscribe, will cost about $18,000 for the pilot period. Moreau said her staff would review each transcript and summary before posting and correct obvious errors, but acknowledged that they would not be able to check every word.

Several residents raised concerns during the public comment period before the vote. Some worried that the software would misidentify speakers or garble names, particularly for residents with accents or those who speak in languages other than English. Others questioned whether the company would use recordings of residents' voices to train its products.

"When I stand up at that microphone, I'm speaking to my neighbors and my elected officials. I'm not volunteering to be training data for a tech company," said Harold Simms, a retired engineer who frequently speaks at council meetings.

City Attorney Robert Liang said the contract prohibits the company from using city recordings to train its models or sharing them with third parties, and requires it to delete audio files 30 days after processing. He said public meeting recordings are already public records and available to anyone who requests them.

Councilmember Linda Hsu, who cast the lone vote against the pilot, said she supported the goal but wanted stronger safeguards, including an independent accuracy review and clear labeling of AI-generated summaries. "When a summary says the council decided something, people will take that as fact," she said. "If it's wrong, who's accountable?"

Moreau said every transcript will carry a notice that it was generated automatically and may contain errors, and that the official minutes remain the legal record. The clerk's office will report back to the council on accuracy and public use at the end of the pilot.
""")

add("A022", "2026-11-11", "High School Football: Carver Falls Upsets Unbeaten Ridgeview in Overtime", """
Carver Falls quarterback Tyrese Holloway had thrown exactly four touchdown passes all season before Friday night. He threw three in the fourth quarter and overtime against Ridgeview, and the last one, a 12-yard strike to tight end Ben Kowalczyk on fourth down, gave the Falcons a stunning 31-28 win over the previously unbeaten Rams in the regional semifinal.

Ridgeview, the top seed and the defending regional champion, had won 23 straight games and entered the night as a heavy favorite. The Rams led 21-7 midway through the fourth quarter after a 68-yard touchdown run by running back Marcus Dell, who finished with 187 rushing yards.

Then the Falcons came alive. Holloway, a junior who took over as the starter in September after the senior starter broke his collarbone, led an 80-yard drive capped by a 24-yard touchdown pass to Devon Parks. After a Ridgeview punt, he found Parks again for 41 yards to tie the game at 21 with 48 seconds left.

"Coach just told me to stop thinking and play," Holloway said. "I was thinking way too much in the first half. Once I stopped, everything slowed down."

In overtime, Ridgeview scored first on a short run by Dell. Carver Falls answered with a five-play drive that stalled at the 12-yard line, setting up a fourth-and-6. Holloway rolled to his right, bought time as a Ridgeview lineman chased him, and threw back across the field to Kowalczyk, who was alone in the end zone. Because Ridgeview had scored a touchdown and kicked the extra point, Carver Falls coach Dan Mercer elected to go for two and the win. Holloway kept the ball on a quarterback draw and dove across the goal line.

The Falcons' sideline, and about half the crowd of roughly 4,000 at Ridgeview's Memorial Field, erupted. Players piled on top of Holloway in the end zone. "I couldn't breathe under there for a second," he said, laughing. "Worth it."

Mercer, in his 18th season at Carver Falls, said the win was one of the most meaningful of his career. "These kids have heard all year that they were too small, too young, too slow," he said. "They didn't believe any of it."

Ridgeview coach Pete Sandoval praised the Falcons. "They made plays when they had to and we didn't," he said. "That's football. It hurts, but it's a great group of seniors and I'm proud of them."

Carver Falls will face Westbrook in the regional final next Friday at Harlow Stadium. Kickoff is set for 7 p.m.
""")

add("A023", "2026-11-13", "Downtown Retailers Brace for Holiday Season With Fewer Seasonal Workers", """
Downtown Harlow shop owners say they expect solid holiday sales this year but are struggling to find enough seasonal workers, forcing some to cut hours, rely on family members or ask existing employees to take on extra shifts during the busiest weeks of the year.

A survey of 85 downtown businesses conducted by the Harlow Downtown Alliance found that nearly two-thirds had been unable to fill all of their planned seasonal positions as of early November. Many said applicants had accepted jobs at the large distribution warehouses that have opened along the interstate in the past three years, which offer starting pay of $20 an hour or more and sometimes signing bonuses.

"I can't compete with that, and I don't blame anybody for taking it," said Lorraine Abernathy, who owns a toy store on Market Street that has been in business for 31 years. "I'm paying $16 an hour, which is more than I've ever paid, and I've had three people apply. Three." Abernathy said she would stay open shorter hours on weekdays and that her daughter, a college student, would work during winter break.

Other owners are getting creative. A bookstore on Second Avenue is offering seasonal workers a 40 percent discount on merchandise and flexible scheduling around class times. A kitchen supply shop is hiring retirees for short four-hour shifts. Several stores have teamed up to share a single gift-wrapping station staffed by volunteers from a high school service club, with donations going to the club.

Despite the staffing challenges, the mood among retailers is generally upbeat. Foot traffic downtown is up about 9 percent from last year, according to data from the alliance's pedestrian counters, helped by new apartments, restaurants and the recently reopened Grand Theater. The alliance's survey found that 58 percent of businesses expect holiday sales to exceed last year's, while 12 percent expect a decline.

"People want to shop somewhere that feels like a place," said alliance director Kevin Osei. "You can't get hot chocolate and a chat with the owner from a website."

National forecasters expect holiday retail sales to grow by roughly 3 to 4 percent this year, a slower pace than during the pandemic years, as inflation has eased but consumers remain cautious about spending. Online sales are expected to grow faster than sales in physical stores.

The alliance will kick off its holiday season with the annual tree lighting in Founders Square on November 28, followed by extended shopping hours on weekends through December. Free parking will be available in city garages on Saturdays in December.
""")

add("A024", "2026-11-15", "First Lake-Effect Snow of Season Dumps 14 Inches on Northern Townships", """
The season's first lake-effect snow event buried parts of northern Tessaro County under more than a foot of snow Saturday, closing schools, snarling traffic on Route 9 and catching some drivers still on summer tires.

The heaviest snow fell in a narrow band stretching from Garrison east toward the state forest, where a weather observer near Pine Hollow measured 14 inches by Saturday evening. Just 15 miles to the south, Harlow received only a dusting. Forecasters said the sharp difference is typical of lake-effect storms, which form when cold air passes over relatively warm lake water, picking up moisture and dumping it as snow on land downwind.

"These bands can be only five or ten miles wide, and they can sit over the same spot for hours," said meteorologist Dana Whitcomb of the National Weather Service office in Harlow. "You can drive from bare pavement into a whiteout in a matter of minutes."

That is what happened to dozens of drivers on Route 9 on Saturday morning. State police said they responded to 31 crashes and slide-offs between 6 a.m. and noon, mostly minor. A tractor-trailer jackknifed on the hill west of Garrison, closing the road in both directions for about three hours. No serious injuries were reported.

"It was sunny when I left Lindell," said Carla Brennan, whose car slid into a ditch near the state forest entrance. "Twenty minutes later I couldn't see the hood of my car." A passing farmer pulled her out with his tractor, she said.

County highway crews, which had switched their plow trucks to winter service only a week earlier, worked through the night. Highway superintendent Ray Donnelly said the early storm was a useful test of equipment and staffing. The county is short four plow drivers this year, he said, and existing drivers are working overtime. "We'll get it done, but everybody's tired," Donnelly said.

Schools in the Garrison and North Tessaro districts closed Friday afternoon ahead of the storm and are expected to reopen Monday. Power outages were limited to a few hundred customers, mostly along wooded roads where heavy, wet snow brought down tree limbs.

Forecasters said the lake-effect bands would weaken Sunday as winds shift, but another round of colder air is expected late next week, with the possibility of more snow in the same areas. Whitcomb urged drivers to check forecasts before traveling north and to carry blankets, water and a phone charger in their vehicles. "It's only November," she said. "This is a reminder, not the main event."
""")

add("A025", "2026-11-17", "Beloved Diner Closes After 62 Years; Regulars Gather for Final Breakfast", """
By 5:45 a.m. Sunday, the line outside the Blue Plate Diner in Lindell stretched past the hardware store next door and around the corner. Some people had brought folding chairs. A few had brought their grandchildren. All of them had come for one last plate of eggs, home fries and the diner's famous sourdough toast before the restaurant closed for good after 62 years.

Owner George Panagakos, 74, announced the closure last month, saying he was ready to retire and that none of his children wanted to take over the business. The building, which his father bought in 1964, has been sold to a local developer who plans to open a bakery and coffee shop.

"I've been standing behind this grill since I was fourteen years old," Panagakos said, pausing between orders as the restaurant filled with customers and the sound of clinking mugs. "My back is telling me it's time. My heart is telling me something else. But the back usually wins."

The Blue Plate was opened by George's father, Nick Panagakos, a Greek immigrant who had worked as a cook on merchant ships. Little has changed since. The counter still has twelve red vinyl stools, the coffee is still served in heavy white mugs, and the menu, printed on a single laminated card, still lists the "Mill Worker's Special," a breakfast of three eggs, sausage, home fries, toast and coffee that now costs $9.95. In 1964, it cost 65 cents.

For many Lindell residents, the diner was less a restaurant than a town square. Farmers stopped in before dawn. Retired men claimed the same booth every morning for decades to argue about politics and baseball. Couples had first dates there and later brought their children. When the textile mill in Carver Falls closed in 1987, laid-off workers gathered at the Blue Plate, where Nick Panagakos let some of them eat on credit for months.

"My husband proposed to me in that corner booth in 1971," said Rosemary Kline, 76, pointing. "He was so nervous he knocked over the ketchup. George's father gave us free pie. We came back every anniversary until my husband passed."

Waitress Betty Albrecht, who has worked at the diner for 39 years, said the hardest part was saying goodbye to customers she has served nearly every day for decades. "I know how everybody takes their coffee," she said. "I know whose kids are in college and whose knee surgery is next week. That's not something you just walk away from."

By the time the grill shut off at 2 p.m., the diner had served more than 700 meals, its busiest day ever. Panagakos said he would donate the counter stools to the county historical society. Then he locked the door, taped a handwritten thank-you note to the glass, and walked across the street to get a cup of coffee.
""")

add("A026", "2026-11-19", "Ninety Seasons at Ferris Park: The Ballpark a Town Refused to Let Go", """
BAKERSVILLE — In November, Ferris Park is a quiet place. The grass on the infield has gone the color of straw, the tarp over the pitcher's mound is weighed down with old tires, and the only sound is the wind pushing through the gaps in the wooden grandstand. But if you stand behind home plate long enough, Walt Hensley says, you can still hear it: the crack of a bat, the organ playing "Take Me Out to the Ball Game" slightly off-key, the groan of 3,000 people watching a fly ball drift just foul.

Hensley, 83, has been coming to Ferris Park since 1949, when his father brought him to see the Bakersville Bluejays play the Port Alder Pilots on a Sunday afternoon. He has missed, by his own count, fewer than 30 home games since then. He was an usher for 22 years, a member of the grounds crew for 11, and is now the unofficial keeper of the ballpark's history, which he stores in 47 cardboard boxes in his garage. "This place has been the best part of my life, after my wife and my kids," he said. "And on some days in August, I'm not sure about the kids."

This summer, Ferris Park completed its 90th season of baseball, making it one of the oldest continuously used minor league or summer collegiate ballparks in the country. Five years ago, few people in Bakersville expected it to reach that milestone. The stadium was crumbling, its owner wanted to sell the land to a developer, and the team that played there had announced it was leaving. What happened next is a story about a town that decided a ballpark was worth fighting for, and about what it took to win.

Ferris Park was built in 1936 by the Works Progress Administration, the Depression-era federal program that put unemployed men to work on public projects. It was named for Harlan Ferris, the owner of the Bakersville lumber mill, who donated the land on the condition that it be used for baseball. The original grandstand, built of local pine and fieldstone, held 2,400 people. It cost $31,000 to build. Much of the work was done by laid-off mill workers, some of whom later played for the town team.

For its first two decades, the park was home to the Bakersville Millers, a semi-professional team made up mostly of local men who worked at the mill, the railroad and the farms. Crowds were enormous by today's standards: newspaper accounts from the late 1940s describe Sunday doubleheaders drawing more than 5,000 people, many of whom stood along the outfield fences or watched from the roofs of nearby houses. The Millers' rivalry with the team from Carver Falls was so intense that in 1951 a bench-clearing brawl spilled into the stands and the state police were called.

In 1956, Ferris Park got its first professional team when the Bluejays joined a Class D minor league as an affiliate of a major league club. Over the next 14 years, more than 40 players who passed through Bakersville reached the major leagues, including a pitcher named Eddie Ruckle who would go on to win 160 games and appear in three All-Star games. Ruckle, who died in 2019, returned to Bakersville every summer to throw out the first pitch and sign autographs for free. A bronze plaque honoring him hangs near the main gate.

The minor league years ended in 1970, when the major league club moved its affiliate to a larger city with a newer stadium, a pattern that would repeat across small towns throughout the decades that followed. For the next 15 years, Ferris Park hosted American Legion ball, high school tournaments and an occasional exhibition game. The grandstand slowly deteriorated. In 1979, a section of the roof collapsed under heavy snow and was never fully repaired. By the early 1980s, there was talk of tearing the whole thing down.

Baseball came back in 1986, when a group of local businessmen founded a team in a new summer collegiate league, in which college players spend their summer break playing in small towns, living with host families, and competing in front of professional scouts. The team took back the old Bluejays name. It was an immediate hit. Families could watch a game for three dollars, the players signed autographs after every game, and many of them became local celebrities for a summer. Several went on to professional careers.

The summer collegiate era produced many of Ferris Park's most cherished memories. There was the night in 1994 when a thunderstorm knocked out power in the eighth inning and the crowd stayed, singing by the light of car headlights in the parking lot, until the game could resume. There was the 2003 championship, won on a bases-loaded walk in the 14th inning at 12:40 in the morning. There was the outfielder who proposed to his host family's daughter on the pitcher's mound in 2008; they now live in Bakersville and have three children, all of whom have worked as batboys and batgirls.

But the economics of running a ballpark in a small town never got easier. The Ferris family, which had retained ownership of the land, sold it to a holding company in 1998. The grandstand needed constant repairs. Attendance, which had averaged about 1,800 a game in the late 1990s, fell below 900 by the late 2010s as families found other things to do on summer evenings. The team lost money most years. And in 2019, the holding company announced that it had received an offer from a developer who wanted to build a distribution warehouse on the site.

The news hit Bakersville hard. The town was still reeling from earlier job losses and from the gradual decline of its downtown, and for many residents the ballpark felt like one of the last things that made the town distinct. "People said, well, it's just a baseball field," said Dana Kirchner, a local attorney who would become one of the leaders of the effort to save it. "But you don't get a second one. Once it's a warehouse, it's a warehouse forever."

Within weeks, a group of residents formed an organization called Friends of Ferris Park. Its first meeting, in the basement of the public library, drew 23 people. Its second, a month later, drew more than 300 and had to be moved to the high school auditorium. The group included retirees like Hensley, young parents, business owners, former players, a retired structural engineer and a high school history teacher who had been researching the park's Depression-era construction for a book. "We had no money, no plan and no idea what we were doing," Kirchner said. "What we had was a lot of people who were really, really stubborn."

The first challenge was time. The developer's offer was contingent on approvals from the town's planning board, which gave the Friends of Ferris Park an opening. The group packed hearings, presented petitions with more than 6,000 signatures, and argued that the site's WPA history made it eligible for protection. The history teacher, Marianne Ostrowski, spent her summer in the state archives and found the original construction records, including payroll sheets listing the names of the men who had built the grandstand. Many of their descendants still lived in town.

In 2020, with help from the state historic preservation office, Ferris Park was listed on the National Register of Historic Places. The listing did not legally prevent the owner from demolishing the stadium, but it made the site eligible for preservation grants and tax credits and shifted public opinion decisively. The developer withdrew its offer a few months later, citing the pandemic and "community opposition." The holding company then offered to sell the property to the Friends of Ferris Park for $1.2 million, roughly what the developer had offered.

The group had about $40,000 in the bank. What followed was a fundraising campaign that became, for a time, the defining civic project of Bakersville. Children held lemonade stands. Churches took up collections. The local bank agreed to a low-interest loan. A former Bluejay who had become a successful orthopedic surgeon in California donated $100,000 and challenged other former players to match it. Dozens did, sending checks ranging from $50 to $25,000, often with letters describing their summers in Bakersville and the host families who had taken them in.

"I got a letter from a guy who played here in 1991 and is now a high school principal in Texas," Kirchner said. "He wrote four pages about how his host mother taught him to cook and how he learned more about being an adult that summer than in four years of college. He sent $500. That letter is framed in my office."

By the end of 2021, the group had raised enough to buy the property. But owning a 90-year-old stadium turned out to be only the beginning. A structural assessment found that the grandstand's wooden supports were rotting in dozens of places, that the roof would not survive another heavy winter, and that the electrical system was a fire hazard. The estimated cost of a full renovation was $7.5 million, more than six times what the group had raised to buy the land.

Once again, the community found a way, though it took three years and a patchwork of sources: state historic preservation grants, a federal community development grant, historic tax credits sold to a large bank, a capital campaign that raised another $1.8 million, and countless hours of volunteer labor. Union carpenters donated weekends. High school shop students built new benches. A local quarry donated fieldstone to repair the original walls. Retired electricians supervised the rewiring, which was done by apprentices in a training program.

The renovation was designed to preserve what people loved about the park while making it safe and comfortable. The original pine grandstand was stabilized and restored, with new steel supports hidden behind the old wood. The roof was rebuilt to match the 1936 design. The cramped, dark concourse was widened. New restrooms replaced facilities that, Hensley said, "had not been pleasant since the Eisenhower administration." A small museum, built from the contents of Hensley's garage and the historical society's collection, opened in a former storage room beneath the grandstand.

Some changes were controversial. The renovation reduced capacity from about 3,200 to 2,700, to make room for wider aisles and accessible seating, which some longtime fans felt was unnecessary. The old hand-operated scoreboard in left field, which had required two teenagers to climb a ladder and hang numbered tin plates after every half-inning, was kept but supplemented by a small electronic board behind the first-base grandstand. After a heated public meeting, the Friends agreed that the tin-plate scoreboard would remain the official one. "Some things you don't mess with," Kirchner said.

Meanwhile, the Bluejays had left. The team's previous owners moved it to a larger town in 2020 after the uncertainty over the stadium's future. For two summers, Ferris Park was used only for high school and American Legion games. In 2023, the Friends of Ferris Park formed a new nonprofit team, owned by the community and run largely by volunteers, and won admission to the same summer collegiate league the Bluejays had left. In a public vote, residents chose to bring back the name Millers, honoring the park's original team.

The new Millers are, in many ways, a throwback. Tickets cost $7 for adults and $3 for children. Hot dogs cost $2.50. The team's general manager is paid, but nearly everyone else, from the ticket takers to the public address announcer to the woman who sings the national anthem before most games, is a volunteer. Players, mostly college sophomores and juniors from around the country, live with host families in Bakersville and neighboring towns. Many work part-time jobs during the day, coaching youth camps or helping on farms.

Attendance has exceeded expectations. This summer, the Millers averaged about 1,900 fans per game, the third-highest total in the 12-team league, and sold out seven games, including the Fourth of July game, which ended with fireworks over the outfield. The team finished 28-20 and lost in the league semifinals. It made a small profit, which the board voted to put toward maintenance and a scholarship fund for local high school players. "We are not trying to get rich," Kirchner said. "We are trying to be here in another ninety years."

For the players, Ferris Park is often something of a revelation. Many come from large college programs with modern stadiums, video scoreboards and carefully managed playing surfaces. "The first time I walked in, I thought, this is like a movie," said Jalen Whitmore, a pitcher from a university in Georgia who played for the Millers this summer. "The wood, the stone, the old scoreboard. And then the fans: they know your name, they know your stats, they know what you did last night. At school we have bigger crowds, but it's nothing like this."

Whitmore lived with Carol and Dennis Schaefer, a retired couple who have hosted 17 players since 1988. The Schaefers keep a photo of every one of them on the wall of their den, along with Christmas cards and wedding invitations that have arrived over the years. "They come in as kids, and they leave as young men," Carol Schaefer said. "Some of them still call me on Mother's Day. One of them named his daughter Carol. I cried for a week."

Game nights at Ferris Park follow rituals that newcomers learn quickly. In the middle of the fifth inning, the grounds crew drags the infield while children race around the bases for a free ice cream coupon. In the seventh, the organist, a retired music teacher named Loretta Vance who has played at the park since 1989, leads the crowd in a polka that nobody can quite explain the origin of. When a visiting pitcher is removed from the game, the fans in section C wave goodbye with white handkerchiefs. When a Millers player hits a home run, a volunteer rings a brass bell salvaged from the old lumber mill, which hangs from a post behind the third-base dugout.

The team's finances are published every winter in a short annual report mailed to donors and posted at the town library. This year's report showed revenue of about $610,000, most of it from ticket sales, concessions and local sponsorships, and expenses of about $575,000, including player housing stipends, travel to road games, umpires, insurance and equipment. The largest single expense was the bus. The Millers travel to road games in a used school bus painted in team colors, driven by a rotating crew of retired truck drivers. It broke down twice this summer, once on the shoulder of a highway at midnight, and the players waited for a tow truck by playing catch in the headlights.

Not everyone in Bakersville was enthusiastic about the effort to save the park, and some skeptics remain. During the fundraising campaign, letters to the editor of the local newspaper argued that the money would be better spent on the town's aging water system or on the schools. A few residents still grumble about traffic and noise on game nights, and about fireworks that rattle windows on the streets closest to the outfield. Kirchner said she takes those concerns seriously and that the group has tried to be a good neighbor, ending fireworks by 10:30 p.m. and paying for extra police patrols during large events.

The ballpark has also become a community gathering place beyond baseball. It hosts a farmers market on Saturday mornings in summer, high school graduation ceremonies, outdoor movie nights, a Fourth of July festival and, in October, a fall harvest fair that draws several thousand people. In winter, volunteers flood a section of the parking lot to make a skating rink. The museum beneath the grandstand is open on weekends and is visited regularly by school groups, who learn about the WPA, the Depression and the mill workers who built the park.

Economic development officials say the park's revival has had ripple effects. Two restaurants have opened within walking distance of the park since 2023, and a long-vacant building across the street is being converted into apartments. Local hotels report higher occupancy during home series, when families of visiting players come to town. A study commissioned by the county estimated that the Millers and other events at Ferris Park generate about $3 million a year in local spending. "It's not going to replace a factory," said Bakersville Mayor Gordon Fisk. "But it's something that makes people want to live here, and that matters more than people think."

That matters particularly this year, as Bakersville absorbs news that the Dunmore Foods bakery will close in March, eliminating more than 300 jobs. Several of the volunteers who run the Millers work at the plant. At a town meeting after the closure was announced, one speaker drew applause when he said that the town had already proven once that it could save something everyone said was lost. "We saved a ballpark with bake sales," he said. "We're not going to roll over now."

The Friends of Ferris Park now face a new set of challenges. The volunteer base is aging, and the group has struggled to recruit younger people to serve on its board. Maintenance costs for a 90-year-old wooden grandstand are high, and the group estimates it will need about $150,000 a year for upkeep. The league has begun requiring teams to meet new standards for lighting, clubhouses and field drainage, which could require additional investment. And there is always the weather: a severe thunderstorm in July ripped off part of the new roof over the third-base grandstand, and volunteers spent two weeks repairing it.

Kirchner, who has led the organization for seven years, said she plans to step down next year and hopes a younger leader will take over. "I'm tired," she said. "It's a good tired. But this place needs people who will be here in thirty years, and I'd like to be sitting in the stands by then, not running a board meeting." The group has started a youth advisory council of high school students, who this year ran the team's social media accounts and organized a "Teen Night" that drew 400 students.

Walt Hensley, for his part, has no plans to stop coming. He spends most game nights in the museum beneath the grandstand, telling visitors about Eddie Ruckle and the 1951 brawl and the night the lights went out. Sometimes, he admits, he embellishes a little. On a recent afternoon, he walked slowly along the first-base line, pointing out the spot where, he said, a home run by a Millers first baseman in 1952 cleared the fence, crossed the street and broke a window in the Lutheran church. "The pastor kept the ball," he said. "Put it on the altar for a month. Said it was a sign."

He stopped near the dugout and looked out at the empty field, the old scoreboard, the stone walls built by men whose grandchildren now sit in the stands. "Everybody said it was over," he said. "Every few years somebody says it's over. And every time, somebody shows up with a hammer, or a checkbook, or a bucket of paint. That's the story of this place. It isn't the baseball, exactly. It's that people keep showing up." Then he zipped up his jacket, because the wind was picking up, and went home to wait for April.
""")

add("A027", "2026-11-21", "Wildlife Cameras Capture First River Otters in Pell Creek in Half a Century", """
A motion-activated wildlife camera placed along Pell Creek by a volunteer monitoring group has captured images of a pair of river otters, the first confirmed sighting of the animals in the creek in more than 50 years, state wildlife officials said this week.

The grainy nighttime images, taken on three separate nights in late October, show two otters moving along a muddy bank near a fallen sycamore about a mile upstream from where Pell Creek joins the Sable River. One of the images shows an otter carrying what appears to be a crayfish.

"When I saw the first photo, I honestly thought it was a mink," said Leah Fontaine, a retired biology teacher who coordinates the Pell Creek Watershed Association's camera program. "Then I saw the tail and the size of it, and I had to sit down. We've been hoping for this for fifteen years."

River otters were once common throughout the region but disappeared from many waterways in the late 1800s and 1900s because of trapping, habitat loss and water pollution. Pell Creek, which flows through farmland and the southern edge of Harlow, was heavily polluted for decades by runoff and discharges from a tannery that closed in 1978. State records list the last confirmed otter sighting in the creek in 1971.

Water quality in Pell Creek has improved substantially over the past two decades, thanks to upgrades at a municipal wastewater plant, the cleanup of the former tannery site, and a program that has paid farmers to plant trees and grasses along more than 12 miles of stream banks. Surveys by the watershed association have documented the return of several species of fish and aquatic insects that are sensitive to pollution.

Otters were reintroduced to several rivers in the state in the 1990s, and their populations have been expanding slowly since. Wildlife biologist Dr. Marcus Whitlow of the state fish and wildlife agency said the Pell Creek otters most likely traveled up from the Sable River, where small numbers have been documented in recent years.

"Otters are a great indicator species," Whitlow said. "They're at the top of the aquatic food chain, so they need clean water and healthy populations of fish and crayfish to survive. If they're moving into Pell Creek, that tells us a lot of things are going right."

The watershed association has added three more cameras along the creek and plans to check them weekly through the winter. Fontaine asked the public not to search for the otters or disturb the area. "They're shy animals," she said. "The best thing people can do for them is keep the creek clean and leave them alone."
""")

add("A028", "2026-11-23", "Pharmacy Shortages of Children's Antibiotics Ease, but Gaps Remain", """
Shortages of common children's antibiotics that frustrated parents and pharmacists across the region last winter have eased considerably this fall, but some formulations remain hard to find, and health officials warn that supplies could tighten again if respiratory illnesses surge in the coming weeks.

Pharmacists in Harlow and surrounding towns said liquid amoxicillin, the most widely prescribed antibiotic for children's ear and throat infections, has been generally available since late summer. Last winter, many pharmacies ran out for weeks at a time, forcing parents to drive from store to store and doctors to prescribe less effective or more expensive alternatives.

"Last year I had parents in tears at my counter because I couldn't fill a prescription for a screaming two-year-old with an ear infection," said Rajesh Patel, who owns an independent pharmacy in Lindell. "This year, knock on wood, I've had amoxicillin on the shelf every day."

However, Patel and other pharmacists said certain products remain in short supply, including some strengths of liquid amoxicillin combined with clavulanate, an antibiotic often used when amoxicillin alone does not work, and a few liquid formulations of other antibiotics. The federal drug shortage list still includes several pediatric antibiotics, according to the Food and Drug Administration.

Drug shortages have many causes, including manufacturing problems, low profit margins for generic drugs, and surges in demand. Generic antibiotics are inexpensive, and only a handful of companies produce them for the U.S. market, so a problem at a single plant can ripple through the entire supply chain. Last winter's shortage was driven largely by an unusually early and severe season of respiratory infections that sent demand soaring.

Dr. Renee Abernathy, the Tessaro County health officer, said her department is monitoring supplies and working with pharmacies to share information about where scarce medications are available. She also urged parents to remember that many childhood illnesses, including most colds and many sore throats, are caused by viruses and do not require antibiotics at all.

"Antibiotics are precious, and we want them to be there for the kids who really need them," Abernathy said. "That means using them wisely." She encouraged families to keep children up to date on vaccinations, including flu and COVID-19 vaccines, to reduce the chance of infections that can lead to secondary bacterial illnesses.

Pediatricians said they have adjusted their practices since last year. Dr. Elena Vasquez, a pediatrician in Harlow, said her office now calls nearby pharmacies before sending a prescription to confirm it can be filled. "It adds a few minutes," she said, "but it saves parents a lot of running around."

Pharmacists recommend that parents who have trouble filling a prescription ask the pharmacist to contact the prescriber about an alternative, rather than going without treatment.
""")

add("A029", "2026-11-25", "Harlow Adopts Budget With Modest Tax Increase; Snowplow Fleet to Expand", """
The Harlow City Council on Tuesday adopted a $187 million budget for the coming fiscal year that includes a 2.4 percent property tax increase, money for six new snowplows and 14 additional positions, most of them in public safety and public works.

The budget passed 6-1 after three months of hearings. It represents an increase of about 4.1 percent over the current year, driven largely by rising health insurance costs for city employees, contractual raises and the expansion of services. The tax increase will add about $38 a year to the bill for the owner of a median-valued home, according to the city's finance department.

"Nobody likes raising taxes, and we looked hard for other options," said Finance Committee Chair Frank Adeyemi. "But people have been very clear with us about what they expect: roads that are plowed, streets that are repaired, and a police officer or a firefighter who shows up quickly when they call. Those things cost money."

The largest single new expense is the expansion of the city's snowplow fleet. Harlow currently has 22 plow trucks, several of which are more than 15 years old and frequently break down during storms. Public Works Director Angela Ruiz told the council last month that during a storm in February, nearly a third of the fleet was out of service at the same time, leaving some residential streets unplowed for more than 48 hours. The budget includes $1.6 million to purchase six new trucks and hire four additional drivers.

The budget also adds five police officers and three firefighters, partly funded by a federal grant, and funds a new position in the city clerk's office to oversee the pilot program using artificial intelligence to transcribe council meetings. It includes $1.5 million for the road repair plan approved in the fall, which the council funded partly from reserves.

Councilmember Linda Hsu cast the lone vote against the budget, arguing that the city should have held the line on taxes and looked harder at cutting costs, particularly consultant contracts and overtime. "I don't doubt that every line in this budget funds something worthwhile," Hsu said. "But our residents are dealing with higher costs everywhere. We should be asking more of ourselves before we ask more of them."

Several residents spoke during the public hearing. Some urged the council to restore funding for a youth summer jobs program that was cut in the initial proposal; the council added $120,000 to the program in a last-minute amendment. Others asked for more spending on sidewalks in older neighborhoods, which the council said it would consider next year.

Mayor Teresa Banning is expected to sign the budget this week. It takes effect January 1.
""")

add("A030", "2026-11-28", "Black Friday Online Sales Up 6 Percent as Shoppers Turn to Phones", """
American shoppers spent more online on Black Friday than ever before, with sales up about 6 percent from last year, according to early estimates released Saturday by an analytics firm that tracks transactions at major retailers' websites. More than half of those purchases were made on smartphones, the firm said.

Online spending on Friday reached an estimated $11.2 billion, according to the firm, Cartwise Analytics, which bases its figures on anonymized data from more than 1 billion visits to retail websites. Spending on Thanksgiving Day itself rose about 4 percent. Electronics, toys and small kitchen appliances were among the strongest categories, while clothing sales were roughly flat.

"Consumers showed up, but they showed up carefully," said Cartwise lead analyst Priya Okonkwo. "They compared prices on their phones, they waited for the discounts they wanted, and they were quicker than ever to abandon a cart if the deal wasn't there."

Discounts were deep in some categories. Cartwise said average discounts on televisions reached about 24 percent off list prices, while toys averaged about 27 percent. Retailers had built up larger inventories this year in anticipation of strong demand and tariff-related price increases, and many began promotions well before Thanksgiving week.

"Buy now, pay later" services, which let shoppers split purchases into installments, continued to grow in popularity. Cartwise estimated that such services accounted for about 9 percent of online spending on Black Friday, up from 7 percent last year. Consumer advocates have warned that the services can lead some shoppers to take on more debt than they realize, especially when they use several at once.

In-store traffic was more muted. A separate firm that measures foot traffic using anonymized cellphone location data estimated that store visits on Black Friday were roughly flat compared with last year and still well below levels seen before the pandemic. But retailers said shoppers who did come to stores tended to buy more, and many used store pickup for online orders.

Local retailers reported mixed results. In downtown Harlow, where the Downtown Alliance has promoted "Small Business Saturday" events, several shop owners said Friday was busier than expected. "We had a line at the register at ten in the morning, which hasn't happened on a Black Friday in years," said Lorraine Abernathy, owner of a toy store on Market Street. Others said shoppers seemed to be browsing more than buying.

Attention now turns to Cyber Monday, traditionally the biggest online shopping day of the year. Cartwise projected that Cyber Monday spending would reach about $13.5 billion, which would be a record. Analysts will also be watching whether shoppers continue spending through December or pull back after the early promotions.
""")


def main():
    out = Path(__file__).resolve().parent / "articles.parquet"
    schema = pa.schema([
        ("article_id", pa.string()),
        ("published_date", pa.date32()),
        ("title", pa.string()),
        ("body", pa.string()),
    ])
    ids = [a["article_id"] for a in ARTICLES]
    assert ids == [f"A{i:03d}" for i in range(1, 31)], ids
    table = pa.Table.from_pylist(ARTICLES, schema=schema)
    pq.write_table(table, out, row_group_size=15)
    print(f"wrote {table.num_rows} articles to {out}")


if __name__ == "__main__":
    main()
