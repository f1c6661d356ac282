<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>CacheModel</name>
    <message>
        <location filename="../../workbench/ui/cache_view.py" line="+65"/>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
</context>
<context>
    <name>CacheView</name>
    <message>
        <location line="+272"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Clear entry</source>
        <translation>清除此条</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Clear data cache: pre</source>
        <translation>清除数据缓存：pre</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Clear data cache: periodic</source>
        <translation>清除数据缓存：periodic</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Clear all</source>
        <translation>全部清除</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Pre-pull enabled for this Mini Program</source>
        <translation>该小程序已开启预拉取</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+169"/>
        <source>Why is it empty?</source>
        <translation>为什么为空？</translation>
    </message>
    <message>
        <location line="-163"/>
        <source>Choose a user and a fetchType, then press Why is it empty?: every reason getBackgroundFetchData returns nothing for them is listed here, with its rule.</source>
        <translation>选择用户和 fetchType，然后点击“为什么为空？”：getBackgroundFetchData 取不到数据的每个原因都会列在这里，并注明对应规则。</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>e.g. pages/index/index · empty: no path is sent (P7)</source>
        <translation>例如 pages/index/index · 留空：不发送 path（P7）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>e.g. id=1&amp;from=qrcode · empty: no query is sent (P7)</source>
        <translation>例如 id=1&amp;from=qrcode · 留空：不发送 query（P7）</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Use the Composer&apos;s launch</source>
        <translation>使用请求编排的启动参数</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This launch is the simulator&apos;s own: editing it leaves the Composer&apos;s launch as it is.</source>
        <translation>这是模拟器自己的启动参数：修改它不会改动请求编排中的启动参数。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>onLaunch calls setBackgroundFetchToken with</source>
        <translation>onLaunch 中调用 setBackgroundFetchToken，参数</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Simulate cold start</source>
        <translation>模拟冷启动</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>+1 hour</source>
        <translation>+1 小时</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>+12 hours</source>
        <translation>+12 小时</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>+1 day</source>
        <translation>+1 天</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>+7 days</source>
        <translation>+7 天</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>User opens the Mini Program</source>
        <translation>用户打开小程序</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The user opens the Mini Program at the clock&apos;s time: periodic updates continue for 7 days (P23); one that is due is sent, and the log says what the Mini Program reads</source>
        <translation>用户在模拟时钟的当前时间打开小程序：之后 7 天内继续周期性更新（P23）；到期的更新会发出，日志会写明小程序读到了什么</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+475"/>
        <source>Fetch periodic data now</source>
        <translation>立即拉取周期性数据</translation>
    </message>
    <message>
        <location line="-469"/>
        <source>What happens on the simulated clock: updates sent or skipped, and what the Mini Program reads.</source>
        <translation>模拟时钟上发生的事：哪些更新已发出或被跳过，以及小程序读到了什么。</translation>
    </message>
    <message>
        <location line="+9"/>
        <location line="+41"/>
        <source>Platform</source>
        <translation>平台</translation>
    </message>
    <message>
        <location line="-27"/>
        <source>What the Mini Program gets (P16-P19)</source>
        <translation>小程序得到的内容（P16-P19）</translation>
    </message>
    <message>
        <location line="+10"/>
        <location line="+15"/>
        <location line="+23"/>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <location line="-24"/>
        <source>Download address</source>
        <translation>下载地址</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Code package download</source>
        <translation>代码包下载</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>Cold start</source>
        <translation>冷启动</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Periodic update</source>
        <translation>周期性更新</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Token (P20)</source>
        <translation>token（P20）</translation>
    </message>
    <message>
        <location line="+129"/>
        <source>Select an entry to see what the Mini Program reads.</source>
        <translation>选择一条缓存，查看小程序读取到的内容。</translation>
    </message>
    <message numerus="yes">
        <location line="+28"/>
        <source>Cleared %n cache entries</source>
        <translation>
            <numerusform>已清除 %n 条缓存</numerusform>
        </translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Looking…</source>
        <translation>查找中…</translation>
    </message>
    <message>
        <location line="-313"/>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <location line="+422"/>
        <source>Launching: the code package downloads while the pre-pull runs…</source>
        <translation>启动中：代码包下载的同时进行预拉取…</translation>
    </message>
    <message>
        <location line="-122"/>
        <source>Export cache</source>
        <translation>导出缓存</translation>
    </message>
    <message>
        <location line="-205"/>
        <source>Page path</source>
        <translation>页面路径</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Launch query</source>
        <translation>启动 query</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Scene</source>
        <translation>场景值</translation>
    </message>
    <message>
        <location line="+164"/>
        <source>The cache is empty: send from the Composer, simulate a cold start or fetch periodic data, and the entry appears here.</source>
        <translation>缓存为空：在请求编排中发送、模拟一次冷启动或拉取周期性数据后，缓存条目会显示在这里。</translation>
    </message>
    <message>
        <location line="+62"/>
        <source>Not empty: the cache holds an entry for %1.</source>
        <translation>不为空：缓存中有 %1 的数据。</translation>
    </message>
    <message>
        <location line="+62"/>
        <source>Pre-pull is off for this Mini Program, so a launch fetches nothing (-10007). Next: switch it on under Why is it empty?.</source>
        <translation>该小程序未开启预拉取，启动时不会拉取任何数据（-10007）。下一步：在“为什么为空？”中开启。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No download address: start the mock server or type the address, then press Simulate cold start.</source>
        <translation>没有下载地址：请启动模拟服务器或输入地址，然后点击“模拟冷启动”。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Choose a user, then press Simulate cold start.</source>
        <translation>请选择用户，然后点击“模拟冷启动”。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ready: %1 has no token, so the pre-pull carries a fresh login code (P4). Next: Simulate cold start; the request runs while the code package downloads.</source>
        <translation>就绪：%1 没有 token，因此预拉取会携带一个新的登录 code（P4）。下一步：点击“模拟冷启动”；请求会在代码包下载期间进行。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Ready: %1 has a token, so the pre-pull carries it (P4). Next: Simulate cold start; the request runs while the code package downloads.</source>
        <translation>就绪：%1 已有 token，预拉取会携带它（P4）。下一步：点击“模拟冷启动”；请求会在代码包下载期间进行。</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>sent from the Composer</source>
        <translation>来自请求编排</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>from a cold start</source>
        <translation>来自一次冷启动</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>from a traffic run</source>
        <translation>来自一次流量运行</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>from a replay</source>
        <translation>来自一次重放</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>imported</source>
        <translation>导入所得</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>from the command line</source>
        <translation>来自命令行</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>from a server check</source>
        <translation>来自一次服务器检查</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>of unknown origin</source>
        <translation>来源未知</translation>
    </message>
    <message>
        <location line="+6"/>
        <source> It is %1&apos;s first pre entry.</source>
        <translation> 这是 %1 的第一条 pre 缓存。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source> It replaced %1&apos;s pre entry of %2 (%3), as every cached answer does (P15).</source>
        <translation> 它替换了 %1 在 %2 的 pre 缓存（%3），每次被缓存的响应都会这样替换（P15）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source> Not cached: %1&apos;s pre entry of %2 (%3) stays (P15).</source>
        <translation> 未缓存：%1 在 %2 的 pre 缓存（%3）保持不变（P15）。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>this launch&apos;s data</source>
        <translation>本次启动的数据</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>the previous launch&apos;s entry (P17)</source>
        <translation>上一次启动的缓存（P17）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>nothing (P18)</source>
        <translation>无数据（P18）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>fired when the data arrived</source>
        <translation>在数据到达时触发</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>did not fire</source>
        <translation>未触发</translation>
    </message>
    <message>
        <location line="+23"/>
        <source> The login code refreshed the session: session_key is now %1… (P6).</source>
        <translation> 登录 code 刷新了会话：session_key 现为 %1…（P6）。</translation>
    </message>
    <message>
        <location line="-22"/>
        <source> The token set in onLaunch goes with the next launch (P5).</source>
        <translation> onLaunch 中设置的 token 将随下一次启动发送（P5）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>onLaunch read %1; onBackgroundFetchData %2; waiting saved: %3 ms. Sent with a %4.</source>
        <translation>onLaunch 读到%1；onBackgroundFetchData %2；节省等待 %3 ms。本次携带 %4。</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>due: no periodic update yet</source>
        <translation>应拉取：尚无周期性更新</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>due: 12 hours have passed since the last success (P22)</source>
        <translation>应拉取：距上次成功已满 12 小时（P22）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>not due before %1 (12 hours after the last success, P22)</source>
        <translation>%1 之前不会拉取（上次成功后 12 小时，P22）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>not sent: the user has not opened the Mini Program for 7 days (P23)</source>
        <translation>不发送：用户 7 天内未打开小程序（P23）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>not sent: no token (P21)</source>
        <translation>不发送：没有 token（P21）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Simulated clock: %1 · %2</source>
        <translation>模拟时钟：%1 · %2</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Sends a periodic update at once, as the DevTools menu &quot;fetch periodic cache data&quot; does.</source>
        <translation>立即发送一次周期性更新，与开发者工具菜单“拉取周期性缓存数据”相同。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No periodic update for %1: getBackgroundFetchToken fails (P20) and a periodic request carries only a token (P21). Next: set the token below.</source>
        <translation>%1 不会收到周期性更新：getBackgroundFetchToken 失败（P20），而周期性请求只携带 token（P21）。下一步：在下方设置 token。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Needs a token (P21): set one above.</source>
        <translation>需要 token（P21）：请在上方设置。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No periodic address: set one in the workspace, or start the mock server.</source>
        <translation>没有周期性更新地址：请在工作区中设置，或启动模拟服务器。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>WeChat sends %1 nothing now: no visit for 7 days (P23). Next: User opens the Mini Program; Fetch now anyway sends one as the DevTools menu does.</source>
        <translation>微信现在不会给 %1 发送：7 天内未访问（P23）。下一步：点击“用户打开小程序”；“仍然立即拉取”会像开发者工具菜单那样发送一次。</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+7"/>
        <source>Fetch now anyway (DevTools menu)</source>
        <translation>仍然立即拉取（开发者工具菜单）</translation>
    </message>
    <message>
        <location line="-6"/>
        <source>Sends a periodic update at once, as the DevTools menu &quot;fetch periodic cache data&quot; does, although WeChat would not send one now (P23).</source>
        <translation>立即发送一次周期性更新，与开发者工具菜单“拉取周期性缓存数据”相同，尽管微信此时不会发送（P23）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Up to date: %1&apos;s next update is due at %2 (P22). Next: move the clock on (it sends when due), or Fetch now anyway as the DevTools menu does.</source>
        <translation>已是最新：%1 的下一次更新在 %2 到期（P22）。下一步：把时钟往后拨（到期时会发送），或像开发者工具菜单那样“仍然立即拉取”。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Sends a periodic update at once, as the DevTools menu &quot;fetch periodic cache data&quot; does, although it is not due before %1 (P22).</source>
        <translation>立即发送一次周期性更新，与开发者工具菜单“拉取周期性缓存数据”相同，尽管在 %1 之前尚未到期（P22）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Due: WeChat sends %1 a periodic update at its next chance. Next: move the clock (it sends), or Fetch periodic data now.</source>
        <translation>已到期：微信会在下一次机会给 %1 发送周期性更新。下一步：拨动时钟（会发送），或点击“立即拉取周期性数据”。</translation>
    </message>
</context>
<context>
    <name>Causes</name>
    <message>
        <location filename="../../workbench/core/diagnose.py" line="+14"/>
        <source>-10007 no permission: data pre-pull is not switched on for this Mini Program (admin console: development settings; here: the workspace setting).</source>
        <translation>-10007 no permission：该小程序未开启数据预拉取（管理后台：开发设置；此处：工作区设置）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>token not set, maybe you should setBackgroundFetchToken first (periodic updates need a token).</source>
        <translation>token not set, maybe you should setBackgroundFetchToken first（周期性更新需要 token）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The token was set during the last launch; the pre-pull had already been sent, so only the next launch carries it (P5).</source>
        <translation>token 是在上一次启动过程中设置的；当时预拉取已发出，所以只有下一次启动才会带上它（P5）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No pre-pull has been sent for {user} yet: launch the Mini Program (simulate a cold start) first.</source>
        <translation>尚未为 {user} 发送过预拉取：请先启动小程序（模拟一次冷启动）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This launch&apos;s request is still in flight: the previous launch&apos;s entry is served until it arrives (P17).</source>
        <translation>本次启动的请求仍在进行中：在它返回前，读到的是上一次启动的缓存（P17）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The last pre-pull (#{id}, {when}) was not cached: {reason}</source>
        <translation>最近一次预拉取（#{id}，{when}）未被缓存：{reason}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The periodic entry of {when} expired after {hours} hours (P24, the workspace&apos;s periodic expiry setting), so it reads as missing.</source>
        <translation>{when} 的周期性数据已在 {hours} 小时后过期（P24，工作区的周期性数据过期设置），因此读取结果为无数据。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The gray address is unreachable ({reason_code}): users in the gray group get no data.</source>
        <translation>灰度地址无法访问（{reason_code}）：灰度用户拿不到数据。</translation>
    </message>
</context>
<context>
    <name>CheckDialog</name>
    <message>
        <location filename="../../workbench/ui/check_view.py" line="+131"/>
        <source>Check server</source>
        <translation>检查服务器</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>https://api.example.com/prefetch</source>
        <translation>https://api.example.com/prefetch</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>a token the server accepts</source>
        <translation>服务器接受的 token</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>optional: code2session stand-in, e.g. the mock&apos;s /sns/jscode2session</source>
        <translation>可选：code2session 替身，例如模拟服务器的 /sns/jscode2session</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The code2session address your server redeems login codes at during the check. The check gets a fresh code from it, sends a launch with it, and confirms that the server redeemed it (P4, P6).</source>
        <translation>检查期间你的服务器用来兑换登录 code 的 code2session 地址。检查会从它取得一个新 code，带着它发送一次启动，并确认服务器已兑换该 code（P4、P6）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>optional: checked with the same contract (P25)</source>
        <translation>可选：按同样的约定检查（P25）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>optional: appid, token and timestamp only (P21)</source>
        <translation>可选：只带 appid、token 和 timestamp（P21）</translation>
    </message>
    <message>
        <location line="+10"/>
        <source> ms</source>
        <translation> 毫秒</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Run checks</source>
        <translation>运行检查</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Show request</source>
        <translation>查看请求</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Open the request behind the selected check in the history</source>
        <translation>在历史中打开所选检查对应的请求</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Appid</source>
        <translation>appid</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Token</source>
        <translation>Token</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Code exchange</source>
        <translation>登录凭证兑换</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Gray address</source>
        <translation>灰度地址</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Periodic address</source>
        <translation>周期性更新地址</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Latency over</source>
        <translation>延迟统计</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>requests, p95 budget</source>
        <translation>个请求，p95 预算</translation>
    </message>
    <message>
        <location line="+53"/>
        <source>Enter the address of the server to check.</source>
        <translation>请输入要检查的服务器地址。</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Checking…</source>
        <translation>正在检查…</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1 passed, %2 failed, %3 not run.</source>
        <translation>%1 项通过，%2 项失败，%3 项未运行。</translation>
    </message>
</context>
<context>
    <name>CheckResultsModel</name>
    <message>
        <location line="-225"/>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Check</source>
        <translation>检查项</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Why</source>
        <translation>原因</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Not run</source>
        <translation>未运行</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Passed</source>
        <translation>通过</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Double-click to open request #%1 in the history.</source>
        <translation>双击在历史中打开请求 #%1。</translation>
    </message>
</context>
<context>
    <name>CheckWorkflow</name>
    <message>
        <location filename="../../workbench/workflows/check.py" line="+59"/>
        <source>The check was cancelled; the requests sent so far are in the history.</source>
        <extracomment>A run began. One check was decided (a CheckResult), in the order the checks run. The run ended with every check (list[CheckResult]). The run could not go on: one sentence for the user (store trouble, cancelled).</extracomment>
        <translation>检查已取消；已发出的请求都在历史中。</translation>
    </message>
</context>
<context>
    <name>Checks</name>
    <message>
        <location filename="../../workbench/core/check.py" line="+57"/>
        <source>Typical launch gets 2xx (P11)</source>
        <extracomment>The user the check&apos;s requests are stored under in the history. The most requests the latency check sends (keeps a typo from flooding a server). A launch query full of characters that break a server decoding it wrongly (P8): the separators of a query string, a path, a fragment mark, a percent sign, a plus, a space, Chinese. errcode of code2session for a code that was already exchanged. The checks in the order they run, with their titles (translated by the GUI).</extracomment>
        <translation>典型启动得到 2xx（P11）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Body within the size limit (P12)</source>
        <translation>响应体不超过大小上限（P12）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Body is UTF-8 text (P13)</source>
        <translation>响应体是 UTF-8 文本（P13）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>p95 latency within budget</source>
        <translation>p95 延迟在预算内</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Every common scene handled</source>
        <translation>所有常见场景值都能处理</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reserved and Chinese characters in the query (P8)</source>
        <translation>query 中的保留字符和中文（P8）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Missing token refused</source>
        <translation>拒绝缺少 token 的请求</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Invalid token refused</source>
        <translation>拒绝无效 token</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Login code variant (P4, P6)</source>
        <translation>登录 code 方式（P4、P6）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Gray address (P25)</source>
        <translation>灰度地址（P25）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Periodic address (P21)</source>
        <translation>周期性更新地址（P21）</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>A launch with neither token nor code</source>
        <extracomment>Who a refusal check sends as; filled into {who} of the refusal templates.</extracomment>
        <translation>既没有 token 也没有 code 的启动</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A launch with a token the server never issued</source>
        <translation>带着服务器从未签发的 token 的启动</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A launch with a made-up login code</source>
        <translation>带着伪造登录 code 的启动</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A periodic update with a token the server never issued</source>
        <translation>带着服务器从未签发的 token 的周期性更新</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>A typical launch got {status}, a 2xx status (P11).</source>
        <extracomment>Why a check passed or failed: one sentence each. {reason} quotes a verdict reason, {who} one of WHO, {inner} the sentence of a step run on another address.</extracomment>
        <translation>典型启动得到 {status}，是 2xx 状态（P11）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A typical launch with the given token got {status}: the server refused the token, so give one it accepts.</source>
        <translation>用给定 token 的典型启动得到 {status}：服务器拒绝了这个 token，请提供一个它接受的 token。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A typical launch got no 2xx answer: {reason}</source>
        <translation>典型启动没有得到 2xx 应答：{reason}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A typical launch got no response, so its body could not be checked: {reason}</source>
        <translation>典型启动没有得到响应，因此无法检查响应体：{reason}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The body of a typical launch is {size} bytes, within the {limit}-byte limit (P12).</source>
        <translation>典型启动的响应体为 {size} 字节，未超过 {limit} 字节的上限（P12）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+2"/>
        <source>A typical launch: {reason}</source>
        <translation>典型启动：{reason}</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>The body of a typical launch is valid UTF-8 text (P13).</source>
        <translation>典型启动的响应体是有效的 UTF-8 文本（P13）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The p95 latency is {p95} ms over {n} requests, within the {budget} ms budget.</source>
        <translation>{n} 个请求的 p95 延迟为 {p95} 毫秒，在 {budget} 毫秒的预算内。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The p95 latency is {p95} ms over {n} requests, over the {budget} ms budget: make the server answer faster.</source>
        <translation>{n} 个请求的 p95 延迟为 {p95} 毫秒，超出 {budget} 毫秒的预算：请让服务器更快应答。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Request {i} of {n} got no response, so the latency cannot be judged: {reason}</source>
        <translation>第 {i} 个请求（共 {n} 个）没有得到响应，因此无法评估延迟：{reason}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>All {n} common scenes got a 2xx UTF-8 body within the limit.</source>
        <translation>全部 {n} 个常见场景值都得到了 2xx、UTF-8 且不超过上限的响应体。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{failed} of {n} common scenes were not cached, the first being scene {scene}: {reason}</source>
        <translation>{n} 个常见场景值中有 {failed} 个未被缓存，第一个是场景值 {scene}：{reason}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The launch query {query}, URL-encoded once as one parameter (P8), got a cached answer.</source>
        <translation>启动 query {query} 作为一个参数经过一次 URL 编码（P8），得到了可缓存的应答。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The launch query {query}, URL-encoded once as one parameter (P8), was not cached: {reason}</source>
        <translation>启动 query {query} 作为一个参数经过一次 URL 编码（P8），未被缓存：{reason}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{who} was refused with {status}.</source>
        <translation>{who}被拒绝，状态为 {status}。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{who} got {status} and {size} bytes: the server serves user data to anyone who asks; refuse such requests (for example with 401).</source>
        <translation>{who}得到 {status} 和 {size} 字节：服务器把用户数据提供给任何请求者；请拒绝这类请求（例如返回 401）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{who} got no response ({reason}): refuse it with a status such as 401 instead.</source>
        <translation>{who}没有得到响应（{reason}）：请改为用 401 之类的状态拒绝它。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A launch with a fresh login code got a cached answer, the server redeemed the code at the code exchange, and a made-up code was refused (P4, P6).</source>
        <translation>带新登录 code 的启动得到了可缓存的应答，服务器在 code 兑换处兑换了该 code，伪造的 code 被拒绝（P4、P6）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Could not get a login code from {url} ({error}): give a code2session stand-in that issues test codes, such as the workbench mock&apos;s /sns/jscode2session.</source>
        <translation>无法从 {url} 取得登录 code（{error}）：请提供能签发测试 code 的 code2session 替身，例如工作台模拟服务器的 /sns/jscode2session。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A launch with a fresh login code was not cached: {reason}</source>
        <translation>带新登录 code 的启动未被缓存：{reason}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The server served data for a login code without redeeming it at {url}: exchange every code with code2session before serving data (P4, P6).</source>
        <translation>服务器没有在 {url} 兑换登录 code 就提供了数据：请在提供数据前用 code2session 兑换每个 code（P4、P6）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The code exchange at {url} answered {answer} for the code the server should have redeemed, so the redemption cannot be confirmed (P6).</source>
        <translation>{url} 处的 code 兑换对服务器本应兑换的 code 回答了 {answer}，因此无法确认已兑换（P6）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Not run: give a code exchange URL to check launches that carry a login code (P4, P6).</source>
        <translation>未运行：提供 code 兑换地址才能检查带登录 code 的启动（P4、P6）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The gray address cached a typical launch and refused launches without a token or with an invalid one (P25).</source>
        <translation>灰度地址缓存了典型启动，并拒绝了没有 token 或 token 无效的启动（P25）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>On the gray address: {inner}</source>
        <translation>灰度地址上：{inner}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not run: no gray address was given (P25).</source>
        <translation>未运行：没有提供灰度地址（P25）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A typical launch was not cached: {reason}</source>
        <translation>典型启动未被缓存：{reason}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The periodic address cached an update carrying only appid, token and timestamp (P21, P24) and refused an invalid token.</source>
        <translation>周期性更新地址缓存了只带 appid、token 和 timestamp 的更新（P21、P24），并拒绝了无效 token。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>On the periodic address: {inner}</source>
        <translation>周期性更新地址上：{inner}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A periodic update (appid, token and timestamp only, P21) was not cached: {reason}</source>
        <translation>周期性更新（只带 appid、token 和 timestamp，P21）未被缓存：{reason}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Not run: no periodic address was given (P21).</source>
        <translation>未运行：没有提供周期性更新地址（P21）。</translation>
    </message>
</context>
<context>
    <name>ComposerView</name>
    <message>
        <location filename="../../workbench/ui/composer.py" line="+172"/>
        <source>Mock server: main address</source>
        <extracomment>a login code was asked for and is on its way (see generate_code)</extracomment>
        <translation>模拟服务器：主地址</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mock server: gray address</source>
        <translation>模拟服务器：灰度地址</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mock server: periodic address</source>
        <translation>模拟服务器：周期性更新地址</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Another URL</source>
        <translation>其他地址</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>e.g. https://api.example.com/prefetch</source>
        <translation>例如 https://api.example.com/prefetch</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Token</source>
        <translation>Token</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Login code</source>
        <translation>登录凭证（code）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Neither (violates P4)</source>
        <translation>都不带（违反 P4）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New code</source>
        <translation>换一个登录凭证</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>e.g. pages/index/index · empty: no path is sent (P7)</source>
        <translation>例如 pages/index/index · 留空：不发送 path（P7）</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+347"/>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <location line="-341"/>
        <source>e.g. 1.0.0 · empty: not sent (P7)</source>
        <translation>例如 1.0.0 · 留空：不发送（P7）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Now</source>
        <translation>当前时间</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>milliseconds since 1970</source>
        <translation>自 1970 年起的毫秒数</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Copy URL</source>
        <translation>复制 URL</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Copy as curl</source>
        <translation>复制为 curl</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Send the pre-pull (Ctrl+Enter)</source>
        <translation>发送预拉取请求（Ctrl+Enter）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>appid</source>
        <translation>appid</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Send to</source>
        <translation>发送到</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>URL</source>
        <translation>URL</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>fetchType</source>
        <translation>fetchType</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Identity</source>
        <translation>身份</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Page path</source>
        <translation>页面路径</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Launch query</source>
        <translation>启动参数（query）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Scene</source>
        <translation>场景值</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>customMiniprogramVersion</source>
        <translation>customMiniprogramVersion</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>timestamp</source>
        <translation>timestamp</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Platform</source>
        <translation>平台</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Exact request (P8 encoding)</source>
        <translation>确切请求（P8 编码）</translation>
    </message>
    <message>
        <location line="+96"/>
        <source>The address starts with its scheme twice (%1…): remove one.</source>
        <translation>地址的协议头重复了两次（%1…）：请删掉一个。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Starting the mock server…</source>
        <translation>正在启动模拟服务器…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The mock server is not running: start it in the Mock server tab, or send to another URL.</source>
        <translation>模拟服务器未运行：请在“模拟服务器”标签页启动它，或发送到其他 URL。</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Issuing a login code…</source>
        <translation>正在签发登录 code…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The fixed timestamp must be a whole number of milliseconds.</source>
        <translation>固定时间戳必须是毫秒整数。</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>A periodic update carries only appid, token and timestamp (P21)</source>
        <translation>周期性更新只携带 appid、token 和 timestamp (P21)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>WeChat would not accept this address: it uses plain http to %1 (P10). The workbench sends it for local testing, and the verdict says so.</source>
        <translation>微信不会接受这个地址：它以明文 http 访问 %1 (P10)。工作台仍会发送以便本地测试，结论中会注明这一点。</translation>
    </message>
    <message>
        <location line="+126"/>
        <source>Entry #%1 was sent with appid %2; the composer keeps this workspace&apos;s appid %3.</source>
        <translation>条目 #%1 发送时的 appid 为 %2；请求编排保留此工作区的 appid %3。</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Sending…</source>
        <translation>发送中…</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Cancelled: nothing was stored.</source>
        <translation>已取消：未保存任何内容。</translation>
    </message>
</context>
<context>
    <name>Endpoints</name>
    <message>
        <location filename="../../workbench/ui/texts.py" line="+67"/>
        <source>main</source>
        <translation>主地址</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>gray</source>
        <translation>灰度地址</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>periodic</source>
        <translation>周期性更新地址</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <location filename="../../workbench/ui/history_view.py" line="+460"/>
        <source>Export HAR</source>
        <translation>导出 HAR</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>All entries (%1)</source>
        <translation>全部条目（%1）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The %1 filtered</source>
        <translation>筛选出的 %1 条</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The filtered entries (no filter is set)</source>
        <translation>筛选出的条目（尚未筛选）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No filter is set: type in the search box to filter.</source>
        <translation>尚未筛选：在搜索框中输入即可筛选。</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>The %n selected</source>
        <translation>
            <numerusform>选中的 %n 条</numerusform>
        </translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Include tokens and other secrets</source>
        <translation>包含 token 及其他密钥</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Unticked, every token, code and password is written as REDACTED.</source>
        <translation>不勾选时，所有 token、登录 code 和密码都写为 REDACTED。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Export which entries?</source>
        <translation>导出哪些条目？</translation>
    </message>
</context>
<context>
    <name>Faults</name>
    <message>
        <location filename="../../workbench/ui/texts.py" line="+7"/>
        <source>dropped</source>
        <translation>断开连接</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>stalled</source>
        <translation>挂起</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>truncated</source>
        <translation>截断响应体</translation>
    </message>
</context>
<context>
    <name>History</name>
    <message>
        <location filename="../../workbench/ui/history_view.py" line="-417"/>
        <source>composer</source>
        <extracomment>Where an entry came from, as the view says it; the store keeps (and searches) the English word.</extracomment>
        <translation>请求编排</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cli</source>
        <translation>命令行</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>traffic</source>
        <translation>流量</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>replay</source>
        <translation>重放</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>import</source>
        <translation>导入</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>coldstart</source>
        <translation>冷启动</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>periodic</source>
        <translation>周期性更新</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>check</source>
        <translation>检查</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>redirect</source>
        <extracomment>Why an entry was not cached, in a word or two (the verdict column); the tooltip has the sentence.</extracomment>
        <translation>重定向</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>status</source>
        <translation>状态码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>too_large</source>
        <translation>超过大小限制</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>decoding</source>
        <translation>解码失败</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>plain_http</source>
        <translation>明文 HTTP</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>not_utf8</source>
        <translation>非 UTF-8</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>timeout</source>
        <translation>超时</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>tls</source>
        <translation>TLS 错误</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>refused</source>
        <translation>连接被拒</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>dns</source>
        <translation>域名解析失败</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>incomplete</source>
        <translation>响应不完整</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>reset</source>
        <translation>连接中断</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>connect</source>
        <translation>连接失败</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>network</source>
        <translation>网络错误</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>cached</source>
        <extracomment>The search words the store knows for the verdict (core/store.py), as the view says them.</extracomment>
        <translation>已缓存</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>not cached</source>
        <translation>未缓存</translation>
    </message>
    <message>
        <location line="+202"/>
        <source>#%1 and #%2 are identical.</source>
        <translation>#%1 与 #%2 完全相同。</translation>
    </message>
</context>
<context>
    <name>HistoryDetail</name>
    <message>
        <location line="+52"/>
        <source>Select a request to see what was sent, what came back and the verdict. Replay sends it again; select two to compare them.</source>
        <translation>选择一条请求，查看发送的内容、返回的响应和结论。“重放”会再次发送它；选择两条可以对比。</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Query parameters</source>
        <translation>查询参数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Request headers</source>
        <translation>请求头</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>replay of #%1</source>
        <extracomment>The id of the entry on show (None: the empty state, -1: an answer that was not stored).</extracomment>
        <translation>重放自 #%1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>user %1</source>
        <translation>用户 %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>scene %1</source>
        <translation>场景值 %1</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Not stored in the history</source>
        <translation>未保存到历史记录</translation>
    </message>
</context>
<context>
    <name>HistoryModel</name>
    <message>
        <location line="-294"/>
        <source>Time</source>
        <extracomment>The latest load (reload or next page), for whoever must wait for the rows.</extracomment>
        <translation>时间</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>URL</source>
        <translation>URL</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Verdict</source>
        <translation>结论</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Scene</source>
        <translation>场景值</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Total</source>
        <translation>总耗时</translation>
    </message>
    <message>
        <location line="+85"/>
        <source>cached</source>
        <translation>已缓存</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>not cached: %1</source>
        <translation>未缓存：%1</translation>
    </message>
</context>
<context>
    <name>HistoryView</name>
    <message>
        <location line="+331"/>
        <source>Replay</source>
        <extracomment>The latest detail load (an entry read from the store in a thread, then shown).</extracomment>
        <translation>重放</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Send the selected entry again, exactly (Enter)</source>
        <translation>原样再次发送选中的条目（Enter）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open in composer</source>
        <translation>在请求编排中打开</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Edit the entry in the composer; the workspace keeps its own appid</source>
        <translation>在请求编排中编辑此条目；工作区保留自己的 appid</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Diff</source>
        <translation>对比</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Compare two selected entries: request, headers and body</source>
        <translation>比较选中的两条：请求、响应头和响应体</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>older than 1 hour</source>
        <translation>早于 1 小时</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>older than 1 day</source>
        <translation>早于 1 天</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>older than 7 days</source>
        <translation>早于 7 天</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>older than 30 days</source>
        <translation>早于 30 天</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export HAR…</source>
        <translation>导出 HAR…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export all entries, the filtered ones or the selected ones</source>
        <translation>导出全部条目、筛选出的条目或选中的条目</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Import HAR…</source>
        <translation>导入 HAR…</translation>
    </message>
    <message numerus="yes">
        <location line="+124"/>
        <source>%n entries</source>
        <translation>
            <numerusform>%n 条</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1+ entries</source>
        <translation>%1+ 条记录</translation>
    </message>
    <message>
        <location line="+91"/>
        <source>Entry #%1 cannot be sent as it is (%2) Fix it in the composer.</source>
        <translation>条目 #%1 无法原样发送（%2）请在请求编排中修正。</translation>
    </message>
    <message>
        <location line="-12"/>
        <source>cached</source>
        <translation>已缓存</translation>
    </message>
    <message>
        <location line="-275"/>
        <source>Search URL, status, scene, user, source, verdict (cached / not cached)…</source>
        <extracomment>The user wants this entry in the composer (an imported entry that lacks an appid, say).</extracomment>
        <translation>搜索 URL、状态、场景值、用户、来源、结论（已缓存 / 未缓存）…</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Restore filter</source>
        <translation>恢复筛选</translation>
    </message>
    <message>
        <location line="+147"/>
        <source>The filter “%1” would hide #%2, so it was cleared to show it.</source>
        <extracomment>The export dialog while it is open, and the latest export.</extracomment>
        <translation>筛选“%1”会隐藏 #%2，已清除筛选以显示它。</translation>
    </message>
    <message>
        <location line="+114"/>
        <source>not cached</source>
        <translation>未缓存</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Replayed #%1 as #%2: %3</source>
        <translation>已将 #%1 重放为 #%2：%3</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>Diff #%1 → #%2</source>
        <translation>对比 #%1 → #%2</translation>
    </message>
    <message numerus="yes">
        <location line="+14"/>
        <source>Deleted %n entries</source>
        <translation>
            <numerusform>已删除 %n 条</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+13"/>
        <source>Cleared %n entries</source>
        <translation>
            <numerusform>已清除 %n 条</numerusform>
        </translation>
    </message>
    <message>
        <location line="+28"/>
        <source>%1+</source>
        <translation>%1+</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Export HAR</source>
        <translation>导出 HAR</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>HAR (*.har)</source>
        <translation>HAR (*.har)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Import HAR</source>
        <translation>导入 HAR</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>HAR (*.har *.json)</source>
        <translation>HAR (*.har *.json)</translation>
    </message>
</context>
<context>
    <name>JsonTreeModel</name>
    <message>
        <location filename="../../workbench/ui/json_tree.py" line="+129"/>
        <source>Key</source>
        <extracomment>The view opens top-level items with up to this many children in all: opening one with 40,000 children costs the UI thread a model call per row (~100 ms).</extracomment>
        <translation>键</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Value</source>
        <translation>值</translation>
    </message>
</context>
<context>
    <name>LaunchMixDialog</name>
    <message>
        <location filename="../../workbench/ui/launch_mix_dialog.py" line="+41"/>
        <source>Launches of the simulated users</source>
        <translation>模拟用户的启动方式</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Each simulated user opens the Mini Program with one of these launches, picked by weight: the same launch for the same user in every run and in the Locust export. The table is saved in the workspace file, and the command line&apos;s traffic uses it too. With no rows, every user launches %1 with scene %2.</source>
        <translation>每个模拟用户按权重选用下表中的一种启动方式打开小程序：同一用户在每次运行和 Locust 导出中都使用同一种启动方式。此表保存在工作区文件中，命令行的 traffic 也会使用它。表为空时，每个用户都以场景值 %2 启动 %1。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Weight</source>
        <translation>权重</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>A whole number of at least 1: how often this launch is picked</source>
        <translation>不小于 1 的整数：此启动方式被选中的相对频率</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Page path</source>
        <translation>页面路径</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>The page the user opens, e.g. pages/index/index</source>
        <translation>用户打开的页面，例如 pages/index/index</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Query</source>
        <translation>启动参数（query）</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>The launch query as typed, e.g. id=1&amp;from=qr (P8 encodes it)</source>
        <translation>按输入原样的启动参数，例如 id=1&amp;from=qr（按 P8 编码）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Scene</source>
        <translation>场景值</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>A positive integer such as 1047; empty: no scene</source>
        <translation>正整数，例如 1047；留空：不发送场景值</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>customMiniprogramVersion; empty: not sent</source>
        <translation>customMiniprogramVersion；留空：不发送</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Share</source>
        <translation>占比</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>This row&apos;s weight as a share of all weights</source>
        <translation>本行权重占全部权重的比例</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Load CSV…</source>
        <translation>载入 CSV…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Replace the table with a CSV file whose first line is weight,path,query,scene,version (the command line&apos;s --launch-mix)</source>
        <translation>用 CSV 文件替换此表，其首行为 weight,path,query,scene,version（即命令行的 --launch-mix）</translation>
    </message>
    <message>
        <location line="+118"/>
        <source>No rows: the default launch</source>
        <extracomment>Asks for the CSV file to load (a file dialog); tests replace it.</extracomment>
        <translation>无行：使用默认启动方式</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 launches, total weight %2</source>
        <translation>%1 种启动方式，总权重 %2</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Row %1: %2</source>
        <translation>第 %1 行：%2</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Load launches</source>
        <translation>载入启动方式</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CSV files (*.csv);;All files (*)</source>
        <translation>CSV 文件 (*.csv);;所有文件 (*)</translation>
    </message>
</context>
<context>
    <name>LazyWidget</name>
    <message>
        <location filename="../../workbench/ui/lazy.py" line="+100"/>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Not available: %1 could not be loaded.</source>
        <translation>无法显示：%1 未能加载。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="+124"/>
        <source>Workspace: %1</source>
        <translation>工作区：%1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Composer</source>
        <translation>请求编排</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Mock server</source>
        <translation>模拟服务器</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Traffic</source>
        <translation>流量</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cache</source>
        <translation>缓存</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>History</source>
        <translation>历史</translation>
    </message>
    <message>
        <location line="+80"/>
        <source>%1 (%2) — Prepull Workbench</source>
        <translation>%1（%2）— 预拉取工作台</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;New Workspace…</source>
        <translation>新建工作区(&amp;N)…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Open Workspace…</source>
        <translation>打开工作区(&amp;O)…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Open &amp;Recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Save Workspace &amp;As…</source>
        <translation>工作区另存为(&amp;A)…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>System language</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>&amp;Tools</source>
        <translation>工具(&amp;T)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Check server…</source>
        <translation>检查服务器(&amp;C)…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Keyboard Shortcuts</source>
        <translation>键盘快捷键(&amp;K)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&amp;About Prepull Workbench</source>
        <translation>关于预拉取工作台(&amp;A)</translation>
    </message>
    <message>
        <location line="+126"/>
        <location line="+7"/>
        <source>New workspace</source>
        <translation>新建工作区</translation>
    </message>
    <message>
        <location line="-6"/>
        <location line="+14"/>
        <location line="+27"/>
        <source>Prepull workspaces (*%1)</source>
        <translation>预拉取工作区 (*%1)</translation>
    </message>
    <message>
        <location line="-28"/>
        <location line="+11"/>
        <source>Open workspace</source>
        <translation>打开工作区</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+14"/>
        <source>Save workspace as</source>
        <translation>工作区另存为</translation>
    </message>
    <message>
        <location line="+67"/>
        <source>&lt;h3&gt;Prepull Workbench %1&lt;/h3&gt;&lt;p&gt;Debug WeChat Mini Program data pre-pull (background fetch) on your own machine: the exact request, a live mock server, gray-scale simulation, the cache as the Mini Program reads it, and history with replay.&lt;/p&gt;&lt;p&gt;Workspace: %2&lt;/p&gt;</source>
        <translation>&lt;h3&gt;预拉取工作台 %1&lt;/h3&gt;&lt;p&gt;在你自己的电脑上调试微信小程序数据预拉取（后台拉取）：确切的请求、实时模拟服务器、灰度模拟、小程序读取到的缓存，以及可重放的历史。&lt;/p&gt;&lt;p&gt;工作区：%2&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>About Prepull Workbench</source>
        <translation>关于预拉取工作台</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Replay the selected history entry</source>
        <translation>重放选中的历史记录</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete the selected history entries</source>
        <translation>删除选中的历史记录</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Keys</source>
        <translation>按键</translation>
    </message>
    <message>
        <location line="-504"/>
        <source>Read-only: this workspace is open in another Prepull Workbench window. Nothing here is saved and the mock server is not started; make changes in the other window.</source>
        <extracomment>QSettings key of the language chosen in View › Language (as workbench.app reads it). Requests the mock server logged before its tab was built that the tab shows when it is. The user asked to leave (window closed or File &gt; Quit). Set when the user chose another workspace: the app opens it after this window closes. Shown for as long as the window is read-only (another window has the workspace open).</extracomment>
        <translation>只读：此工作区已在另一个预拉取工作台窗口中打开。此处的修改不会保存，也不会启动模拟服务器；请在另一个窗口中修改。</translation>
    </message>
    <message>
        <location line="+116"/>
        <source>%1 (%2, read-only) — Prepull Workbench</source>
        <translation>%1（%2，只读）— 预拉取工作台</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>&amp;Save Workspace</source>
        <translation>保存工作区(&amp;S)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Edits are saved by themselves; this writes them now.</source>
        <translation>修改会自动保存；此操作立即写入。</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>&amp;Next Tab</source>
        <translation>下一个标签页(&amp;N)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Previous Tab</source>
        <translation>上一个标签页(&amp;P)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Find or Filter</source>
        <translation>查找或筛选(&amp;F)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>&amp;Theme</source>
        <translation>主题(&amp;T)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Follow the system</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>&amp;Welcome Tour</source>
        <translation>欢迎导览(&amp;W)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>&amp;Actions</source>
        <translation>操作(&amp;A)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>&amp;Send Pre-pull</source>
        <translation>发送预拉取(&amp;S)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Cancel</source>
        <translation>取消(&amp;C)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Start or Stop the &amp;Mock Server</source>
        <translation>启动或停止模拟服务器(&amp;M)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Run &amp;Traffic</source>
        <translation>运行流量(&amp;T)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Simulate a Cold &amp;Launch</source>
        <translation>模拟冷启动(&amp;L)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Replay the Selected Entry</source>
        <translation>重放选中的记录(&amp;R)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Export History…</source>
        <translation>导出历史(&amp;E)…</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>Select a history entry to replay.</source>
        <translation>请选择要重放的历史记录。</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>This tab has nothing to search.</source>
        <translation>此标签页没有可搜索的内容。</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
    <message>
        <location line="-241"/>
        <source>Nothing matches the filter.</source>
        <translation>没有符合筛选条件的内容。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No requests yet. Send a pre-pull to the mock server (Composer, Ctrl+Enter): each request appears here with the rule that answered it.</source>
        <translation>还没有请求。向模拟服务器发送一次预拉取（请求编排，Ctrl+Enter）：每个请求都会连同应答它的规则出现在这里。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The cache is empty. Send a pre-pull from the Composer or simulate a cold start (Ctrl+L): what WeChat would keep for the Mini Program appears here.</source>
        <translation>缓存为空。在“请求编排”中发送一次预拉取，或模拟一次冷启动（Ctrl+L）：微信会为小程序保存的内容将出现在这里。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Nothing matches the search.</source>
        <translation>没有符合搜索条件的内容。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No pre-pulls yet. Send one from the Composer (Ctrl+Enter), run traffic (Ctrl+R) or import a HAR file: every pre-pull appears here, to search, replay and compare.</source>
        <translation>还没有预拉取。在“请求编排”中发送一次（Ctrl+Enter）、运行流量（Ctrl+R）或导入 HAR 文件：每次预拉取都会出现在这里，可搜索、重放和对比。</translation>
    </message>
</context>
<context>
    <name>MockServerView</name>
    <message>
        <location filename="../../workbench/ui/mock_view.py" line="+154"/>
        <source>127.0.0.1 keeps the server on this machine. 0.0.0.0 opens it to your network.</source>
        <translation>127.0.0.1 仅限本机访问；0.0.0.0 会向你的网络开放。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>any free</source>
        <translation>任意空闲端口</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>HTTPS (local certificate)</source>
        <translation>HTTPS（本地证书）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Start when the app opens</source>
        <translation>打开应用时启动</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Copy URL</source>
        <translation>复制 URL</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Host</source>
        <translation>主机</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Port</source>
        <translation>端口</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Rules</source>
        <translation>规则</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Users and tokens</source>
        <translation>用户与 token</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Listening on %1 makes the mock server reachable from other machines; it has no access control.</source>
        <translation>监听 %1 会让其他机器访问到模拟服务器，而它没有任何访问控制。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Start</source>
        <translation>启动</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Mock server stopped</source>
        <translation>模拟服务器已停止</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Mock server running at %1</source>
        <translation>模拟服务器运行于 %1</translation>
    </message>
</context>
<context>
    <name>ParamsModel</name>
    <message>
        <location filename="../../workbench/ui/history_view.py" line="-574"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Value</source>
        <translation>值</translation>
    </message>
</context>
<context>
    <name>PeriodicClock</name>
    <message>
        <location filename="../../workbench/workflows/coldstart.py" line="+179"/>
        <source>%1 opened the Mini Program: periodic updates continue for 7 days (P23).</source>
        <extracomment>where that entry&apos;s pre-pull came from (a history source: composer, coldstart, ...), or &quot;&quot; A launch began. Just before the request: the EntryBefore that a cached answer will replace (P15). A launch finished: the ColdStart result. A launch could not run: one sentence. The clock moved or something changed what is due: the PeriodicDecision and the clock (ms). One line for the periodic log.</extracomment>
        <translation>%1 打开了小程序：之后 7 天内继续周期性更新（P23）。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Nothing was sent (see above).</source>
        <translation>没有发送（见上）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Fetched: an update was due, so WeChat sends it now (%1, cached).</source>
        <translation>已拉取：更新已到期，微信现在发送（%1，已缓存）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Fetched, but not cached (%1): the Mini Program keeps the entry it had (P15).</source>
        <translation>已拉取但未缓存（%1）：小程序保留原有缓存（P15）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no response</source>
        <translation>无响应</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Skipped: %1 has no token (P20), and a periodic request carries only a token (P21).</source>
        <translation>已跳过：%1 没有 token（P20），而周期性请求只携带 token（P21）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Skipped: %1 has not opened the Mini Program for 7 days (P23).</source>
        <translation>已跳过：%1 7 天内未打开小程序（P23）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Skipped: the last update is recent; the next is due at %1 (P22).</source>
        <translation>已跳过：上次更新还很近；下一次在 %1 到期（P22）。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>getBackgroundFetchData({fetchType: &apos;periodic&apos;}) finds nothing: %1 (P18).</source>
        <translation>getBackgroundFetchData({fetchType: &apos;periodic&apos;}) 取不到数据：%1（P18）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>fail on Android, an empty fetchedData on iOS</source>
        <translation>Android 上调用 fail，iOS 上 fetchedData 为空</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>getBackgroundFetchData({fetchType: &apos;periodic&apos;}) finds nothing: the entry with timeStamp %1 expired (P24).</source>
        <translation>getBackgroundFetchData({fetchType: &apos;periodic&apos;}) 取不到数据：timeStamp 为 %1 的缓存已过期（P24）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>getBackgroundFetchData({fetchType: &apos;periodic&apos;}) on %1 is served from the cache: the entry with timeStamp %2 (P16).</source>
        <translation>%1 上的 getBackgroundFetchData({fetchType: &apos;periodic&apos;}) 从缓存返回：timeStamp 为 %2 的缓存（P16）。</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Not sent: %1 has no token (getBackgroundFetchToken fails, P20), and a periodic request carries only a token (P21). Set it under Cache › Periodic update.</source>
        <translation>未发送：%1 没有 token（getBackgroundFetchToken 失败，P20），而周期性请求只携带 token（P21）。请在“缓存 › 周期性更新”中设置。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Not sent: no periodic address. Set it in the workspace, or start the mock server.</source>
        <translation>未发送：没有周期性更新地址。请在工作区中设置，或启动模拟服务器。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>cached</source>
        <translation>已缓存</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>not cached</source>
        <translation>未缓存</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>scheduled</source>
        <translation>定时</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>fetched now</source>
        <translation>立即拉取</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>fetched now, outside the schedule (as the DevTools menu does)</source>
        <translation>立即拉取，不按计划（与开发者工具菜单相同）</translation>
    </message>
</context>
<context>
    <name>Phases</name>
    <message>
        <location filename="../../workbench/core/simulator.py" line="+24"/>
        <source>package download</source>
        <extracomment>Phase names (the GUI translates them in the &quot;Phases&quot; context).</extracomment>
        <translation>代码包下载</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>pre-pull request</source>
        <translation>预拉取请求</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>connect</source>
        <translation>连接</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>waiting for the first byte</source>
        <translation>等待首字节</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>receiving the body</source>
        <translation>接收响应体</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>onLaunch: getBackgroundFetchData → current</source>
        <translation>onLaunch：getBackgroundFetchData → 本次数据</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>onLaunch: getBackgroundFetchData → previous</source>
        <translation>onLaunch：getBackgroundFetchData → 上次缓存</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>onLaunch: getBackgroundFetchData → none</source>
        <translation>onLaunch：getBackgroundFetchData → 无数据</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>onBackgroundFetchData fires</source>
        <translation>onBackgroundFetchData 触发</translation>
    </message>
</context>
<context>
    <name>QueryEditor</name>
    <message>
        <location filename="../../workbench/ui/composer.py" line="-507"/>
        <source>e.g. id=1&amp;from=qrcode · empty: no query is sent (P7)</source>
        <translation>例如 id=1&amp;from=qrcode · 留空：不发送 query（P7）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Key</source>
        <translation>键</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Decoded pairs of the launch query; an edit changes only that pair in the text above</source>
        <translation>启动参数解码后的键值对；编辑只会修改上方文本中对应的那一对</translation>
    </message>
</context>
<context>
    <name>Reasons</name>
    <message>
        <location filename="../../workbench/core/model.py" line="+74"/>
        <source>The server answered {status}, a redirect{where}; WeChat does not follow redirects (P11), so nothing is cached: point the download address at the final URL.</source>
        <extracomment>Every reason, as an English template. The GUI translates the template and fills the same fields, so the words stay in one place; keys are stable (tests and exports use ``code``).</extracomment>
        <translation>服务器返回 {status} 重定向{where}；微信不跟随重定向（P11），因此未缓存任何内容：请把数据下载地址改为最终 URL。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The server answered {status}; only a 2xx status is cached (P11).</source>
        <translation>服务器返回 {status}；只有 2xx 状态才会被缓存（P11）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The body is {size}, over the {limit} limit (P12), so it is not cached: send less data.</source>
        <translation>响应体为 {size}，超过 {limit} 的上限（P12），因此未缓存：请减少数据量。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The body is {size} as received (before decoding), over the {limit} limit (P12, counted on the wire by the workspace setting), so it is not cached: send less data.</source>
        <translation>收到的响应体（解码前）为 {size}，超过 {limit} 的上限（P12，按工作区设置以传输字节计），因此不会缓存：请减少数据量。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The body could not be decoded as its Content-Encoding says ({detail}), so nothing is cached: check the server&apos;s compression.</source>
        <translation>响应体无法按其 Content-Encoding 解码（{detail}），因此没有缓存任何数据：请检查服务器的压缩设置。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>WeChat would not accept this address: it uses plain http to {host}, and real Mini Programs only send pre-pulls to https addresses (P10). The request was sent for local testing only.</source>
        <translation>微信不会接受这个地址：它以明文 http 访问 {host}，而真实小程序只会向 https 地址发送预拉取请求 (P10)。此请求仅为本地测试而发送。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The body is more than {size} (reading stopped there), over the {limit} limit (P12), so it is not cached: send less data.</source>
        <translation>响应体超过 {size}（读取到此为止），超过 {limit} 的上限（P12），因此未缓存：请减少数据量。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The body is not valid UTF-8 text (invalid byte at offset {offset}), so it is not cached (P13): send text encoded as UTF-8.</source>
        <translation>响应体不是有效的 UTF-8 文本（偏移 {offset} 处有无效字节），因此未缓存（P13）：请发送 UTF-8 编码的文本。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No complete response within the {timeout} s timeout (P11), so nothing is cached: make the server answer faster.</source>
        <translation>在 {timeout} 秒超时内未收到完整响应（P11），因此未缓存任何内容：请让服务器更快响应。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The TLS certificate of {where} was rejected ({detail}): WeChat requires a valid certificate for the download address.</source>
        <translation>{where} 的 TLS 证书被拒绝（{detail}）：微信要求数据下载地址使用有效证书。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The TLS handshake with {where} failed ({detail}): check that the server speaks HTTPS with a valid certificate.</source>
        <translation>与 {where} 的 TLS 握手失败（{detail}）：请确认服务器使用有效证书提供 HTTPS。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The connection to {where} was refused: no server is listening there; start the server or fix the port.</source>
        <translation>连接 {where} 被拒绝：该地址没有服务器在监听；请启动服务器或修正端口。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The host name {host} could not be resolved: check the address.</source>
        <translation>无法解析主机名 {host}：请检查地址。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The server closed the connection before the response was complete ({detail}), so nothing is cached.</source>
        <translation>服务器在响应完成前关闭了连接（{detail}），因此未缓存任何内容。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The connection to {where} broke during the request ({detail}), so nothing is cached.</source>
        <translation>请求过程中与 {where} 的连接中断（{detail}），因此未缓存任何内容。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Could not connect to {where} ({detail}).</source>
        <translation>无法连接到 {where}（{detail}）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The request failed ({detail}), so nothing is cached.</source>
        <translation>请求失败（{detail}），因此未缓存任何内容。</translation>
    </message>
    <message>
        <location filename="../../workbench/ui/texts.py" line="-56"/>
        <source>{n} bytes ({kb} KB)</source>
        <extracomment>A size as the core writes it into a reason (&quot;262,145 bytes (256.0 KB)&quot;): said in the user&apos;s language.</extracomment>
        <translation>{n} 字节（{kb} KB）</translation>
    </message>
</context>
<context>
    <name>RequestLogModel</name>
    <message>
        <location filename="../../workbench/ui/request_log.py" line="+81"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Endpoint</source>
        <translation>端点</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>appid</source>
        <translation>appid</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Token / code</source>
        <translation>Token / code</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>timestamp</source>
        <translation>timestamp</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>path</source>
        <translation>path</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Launch query</source>
        <translation>启动参数（query）</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>scene</source>
        <translation>scene</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Rule</source>
        <translation>规则</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Latency</source>
        <translation>耗时</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>none</source>
        <translation>无</translation>
    </message>
</context>
<context>
    <name>RequestLogView</name>
    <message>
        <location line="+101"/>
        <source>Filter: endpoint, path, query, scene, user, rule, status…</source>
        <translation>筛选：端点、路径、query、场景值、用户、规则、状态…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Show tokens</source>
        <translation>显示 token</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Clear view</source>
        <translation>清空视图</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Empty this view; the workspace database keeps every request.</source>
        <translation>清空此视图；工作区数据库仍保留所有请求。</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Select a request to see it raw, with its response.</source>
        <translation>选择一个请求，查看原始请求及其响应。</translation>
    </message>
    <message numerus="yes">
        <location line="+28"/>
        <source>%n request(s)</source>
        <translation>
            <numerusform>%n 个请求</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ResponseView</name>
    <message>
        <location filename="../../workbench/ui/response_view.py" line="+230"/>
        <source>No response yet: compose a launch and press Send (Ctrl+Enter).</source>
        <extracomment>the search of a big document running in a worker thread, and how to stop it</extracomment>
        <translation>暂无响应：编排一次启动并点击发送（Ctrl+Enter）。</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>Search keys and values</source>
        <translation>搜索键和值</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Next</source>
        <translation>下一个</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>What the Mini Program reads</source>
        <translation>小程序读取到的内容</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Body</source>
        <translation>响应体</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>JSON tree</source>
        <translation>JSON 树</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Headers</source>
        <translation>响应头</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Request</source>
        <translation>请求</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Below, greyed: the previous response, not the answer to this request.</source>
        <translation>下方灰色显示的是上一次的响应，不是本次请求的结果。</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>No response</source>
        <translation>无响应</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Timed out after %1 s</source>
        <translation>%1 秒后超时</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Connection refused</source>
        <translation>连接被拒绝</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Host name not found</source>
        <translation>找不到主机名</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Could not connect</source>
        <translation>无法连接</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>TLS certificate rejected</source>
        <translation>TLS 证书被拒绝</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>TLS handshake failed</source>
        <translation>TLS 握手失败</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Connection broken</source>
        <translation>连接中断</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Incomplete response</source>
        <translation>响应不完整</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Request failed</source>
        <translation>请求失败</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1: the status line (%2) arrived, the body did not</source>
        <translation>%1：已收到状态行（%2），但响应体未完整到达</translation>
    </message>
    <message>
        <location line="+88"/>
        <source>✔ Cached: the Mini Program can read this body.</source>
        <translation>✔ 已缓存：小程序可以读取此响应体。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>✘ Not cached:</source>
        <translation>✘ 未缓存：</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>total %1 ms</source>
        <translation>总计 %1 ms</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1 of %2 bytes (%3%)</source>
        <translation>%1 / %2 字节（%3%）</translation>
    </message>
    <message>
        <location line="-93"/>
        <source>This response was not cached: the Mini Program still reads the previous entry (P15).</source>
        <translation>此响应未被缓存：小程序读取到的仍是上一次的缓存（P15）。</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Storing…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <location line="+45"/>
        <source># as curl</source>
        <translation># curl 命令</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Formatting…</source>
        <translation>正在格式化…</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Only the first %1 of %2 bytes were read: no view or verdict needs more, and a body this large is never cached.</source>
        <translation>只读取了 %2 字节中的前 %1 字节：任何视图和判定都不需要更多，而且这么大的响应体永远不会被缓存。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Showing the first %1 characters of %2 bytes; the JSON tree holds it all.</source>
        <translation>仅显示 %2 字节中的前 %1 个字符；JSON 树包含全部内容。</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>Searching…</source>
        <translation>正在搜索…</translation>
    </message>
    <message numerus="yes">
        <location line="+35"/>
        <source>%n match(es)</source>
        <translation>
            <numerusform>%n 处匹配</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RuleForm</name>
    <message>
        <location filename="../../workbench/ui/rules_editor.py" line="+120"/>
        <source>Enabled</source>
        <translation>启用</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+7"/>
        <location line="+8"/>
        <source>any</source>
        <translation>任意</translation>
    </message>
    <message>
        <location line="-13"/>
        <source>any; wildcards * and ?, e.g. pages/detail/*</source>
        <translation>任意；支持通配符 * 和 ?，例如 pages/detail/*</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>any; keys that must be in the launch query, e.g. id, from</source>
        <translation>任意；启动 query 中必须包含的键，例如 id, from</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>any valid</source>
        <translation>任意有效</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>valid token or code</source>
        <translation>有效的 token 或 code</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>invalid token or code</source>
        <translation>无效的 token 或 code</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no token or code</source>
        <translation>未携带 token 或 code</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Placeholders: %1. {{name|json}} inserts a JSON string; {{json_bytes:262144}} makes exactly that many bytes of JSON.</source>
        <translation>占位符：%1。{{name|json}} 插入 JSON 字符串；{{json_bytes:262144}} 生成恰好该字节数的 JSON。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>drop the connection</source>
        <translation>断开连接</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>stall (headers, then nothing)</source>
        <translation>挂起（只发响应头）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>truncate the body</source>
        <translation>截断响应体</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>When the request matches</source>
        <translation>当请求匹配</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Endpoint</source>
        <translation>端点</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Page path</source>
        <translation>页面路径</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Query keys</source>
        <translation>启动参数键（query）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Scene</source>
        <translation>场景值</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Token</source>
        <translation>Token</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Respond with</source>
        <translation>响应内容</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Headers</source>
        <translation>响应头</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Body</source>
        <translation>响应体</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delay</source>
        <translation>延迟</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fault</source>
        <translation>故障</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location line="+76"/>
        <source>Header line %1 must look like &apos;Name: value&apos;.</source>
        <translation>第 %1 行响应头格式应为“名称: 值”。</translation>
    </message>
</context>
<context>
    <name>RulesEditor</name>
    <message>
        <location line="+54"/>
        <source>Add</source>
        <extracomment>Any rule changed, was added, removed or moved.</extracomment>
        <translation>添加</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Duplicate</source>
        <translation>复制</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Up</source>
        <translation>上移</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Down</source>
        <translation>下移</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The first matching rule answers, top to bottom. Edits apply to the next request.</source>
        <translation>自上而下，第一条匹配的规则生效。修改对下一个请求立即生效。</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>rule %1</source>
        <translation>规则 %1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source> copy</source>
        <translation> 副本</translation>
    </message>
</context>
<context>
    <name>RulesModel</name>
    <message>
        <location line="-299"/>
        <source> (off)</source>
        <translation>（已停用）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The default rule answers every request no other rule matches.</source>
        <translation>默认规则响应所有未被其他规则匹配的请求。</translation>
    </message>
</context>
<context>
    <name>RunningWindowDialog</name>
    <message>
        <location filename="../../workbench/ui/instance.py" line="+268"/>
        <source>Workspace already open</source>
        <extracomment>How long a running window has to answer before it counts as not answering. How often a second start tries the running window&apos;s server while that window is still starting (it holds the lock from its first moment, and listens once it has painted). False when it holds the name but did not answer in time (busy, or stopped in a debugger). Another process asked this window to come forward (its user chose &quot;Switch&quot;).</extracomment>
        <translation>工作区已打开</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>another Prepull Workbench window (process %1)</source>
        <translation>另一个预拉取工作台窗口（进程 %1）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>another Prepull Workbench window</source>
        <translation>另一个预拉取工作台窗口</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 is already open in %2.</source>
        <translation>%1 已在%2中打开。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Switch to that window, or open this one read-only: it shows the workspace but does not start the mock server or save changes.</source>
        <translation>切换到那个窗口，或以只读方式打开本窗口：它显示工作区，但不启动模拟服务器，也不保存修改。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>That window does not answer. You can open this one read-only: it shows the workspace but does not start the mock server or save changes.</source>
        <translation>那个窗口没有响应。你可以以只读方式打开本窗口：它显示工作区，但不启动模拟服务器，也不保存修改。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Switch to the running window</source>
        <translation>切换到正在运行的窗口</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Open read-only</source>
        <translation>以只读方式打开</translation>
    </message>
</context>
<context>
    <name>Scenes</name>
    <message>
        <location filename="../../workbench/core/protocol.py" line="+136"/>
        <source>other</source>
        <extracomment>P12/P24 (assumed inclusive): the largest body that is still cached. P9: the longest token setBackgroundFetchToken accepts. The User-Agent sent by default: WeChat&apos;s backend sends one that is not documented, so the workbench names itself rather than pretend (a setting, see ProtocolSettings.user_agent). Sanity bounds of the settings (a typo must not make a request wait for days or eat memory). The longest URL the HTTP client sends (httpx&apos;s MAX_URL_LENGTH). P11: a response must arrive completely within this many seconds. P12/P24: the largest body (bytes) that is still cached, inclusive (the workspace key is ``body_limit_bytes``, the property of the same name below). P11: WeChat is assumed not to follow redirects. P11: only a 2xx status is cached. P3: the unit of the ``timestamp`` parameter. P22: hours between periodic updates. P23: periodic updates only for users active within this many days. P24: hours a periodic entry stays readable; None: it never expires. Request header: the encodings the client accepts (identity: the body travels as it is). P12: whether the limit counts the decoded body (the cached string) or the bytes received. Request header: User-Agent. Scene values and their meaning (section 9 of the protocol doc; a subset of the official list).</extracomment>
        <translation>其他</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Discover bar &quot;recently used&quot; list</source>
        <translation>发现栏小程序主入口，「最近使用」列表</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>WeChat home top search results</source>
        <translation>微信首页顶部搜索框的搜索结果页</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>card in a one-to-one chat</source>
        <translation>单人聊天会话中的小程序消息卡片</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>card in a group chat</source>
        <translation>群聊会话中的小程序消息卡片</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>scan a QR code</source>
        <translation>扫描二维码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>long-press an image to recognise a QR code</source>
        <translation>长按图片识别二维码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>scan a QR code from the photo album</source>
        <translation>扫描手机相册中选取的二维码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>trial version entry page</source>
        <translation>前往小程序体验版的入口页</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Android desktop icon</source>
        <translation>安卓系统桌面图标</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Official Account custom menu</source>
        <translation>公众号自定义菜单</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>opened from another Mini Program</source>
        <translation>小程序打开小程序</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>returning from another Mini Program</source>
        <translation>从另一个小程序返回</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>card with a shareTicket</source>
        <translation>带 shareTicket 的小程序消息卡片</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>scan a Mini Program code</source>
        <translation>扫描小程序码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>long-press an image to recognise a Mini Program code</source>
        <translation>长按图片识别小程序码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>scan a Mini Program code from the photo album</source>
        <translation>扫描手机相册中选取的小程序码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>search results</source>
        <translation>搜一搜的结果页</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Official Account article</source>
        <translation>公众号文章</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>chat list pull-down, &quot;recently used&quot; bar</source>
        <translation>微信聊天主界面下拉，「最近使用」栏</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>chat list pull-down, &quot;my Mini Programs&quot; bar</source>
        <translation>微信聊天主界面下拉，「我的小程序」栏</translation>
    </message>
</context>
<context>
    <name>Services</name>
    <message>
        <location filename="../../workbench/services.py" line="+254"/>
        <source>The answer was not stored in the history: %1</source>
        <extracomment>pre-pulls are stored here, in order, after they are on screen (writes are never cancelled) The app will start the mock server in a moment (after the first paint): views say &quot;starting&quot;, not &quot;not running&quot;, meanwhile.</extracomment>
        <translation>响应未存入历史：%1</translation>
    </message>
    <message>
        <location line="+175"/>
        <source>The saved mock rules were not loaded (%1); the file is left as it is.</source>
        <translation>已保存的模拟规则未能加载（%1）；该文件保持原样。</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>The mock server did not start: %1</source>
        <translation>模拟服务器未能启动：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source> (reachable from other machines)</source>
        <translation>（其他机器可访问）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mock server running at %1</source>
        <translation>模拟服务器运行于 %1</translation>
    </message>
    <message>
        <location line="-358"/>
        <source>This window is read-only: the workspace is open in another Prepull Workbench window, make changes there.</source>
        <extracomment>How often logged mock requests reach the views and the database (coalesced: smooth at 1,000/s). A pre-pull was stored: its history id. The mock server started (its base URL) or stopped (empty string). A batch of requests the mock server answered (list[RequestLog]), oldest first. Something the user should read in the status bar. Many history entries changed at once (a traffic run, an import). True when another window has this workspace open: this one shows it, never writes it (file, secrets, database) and does not start the mock server by itself.</extracomment>
        <translation>此窗口为只读：工作区已在另一个预拉取工作台窗口中打开，请在那里修改。</translation>
    </message>
    <message>
        <location line="+342"/>
        <source>Read-only: the mock server was not started; the other window runs it.</source>
        <translation>只读：未启动模拟服务器；它由另一个窗口运行。</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../workbench/ui/settings_dialog.py" line="+35"/>
        <source>Settings of %1</source>
        <translation>%1 的设置</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Unit of the timestamp parameter</source>
        <translation>timestamp 参数的单位</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Timeout</source>
        <translation>超时</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Follow redirects</source>
        <translation>跟随重定向</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Only a 2xx status is cached</source>
        <translation>仅缓存 2xx 状态码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Largest cached body</source>
        <translation>可缓存的最大响应体</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Periodic update interval</source>
        <translation>周期性更新间隔</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Periodic updates only for users active within</source>
        <translation>仅向此期间内活跃的用户周期性更新</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Periodic data expires after</source>
        <translation>周期性数据过期时间</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Accept-Encoding request header</source>
        <translation>Accept-Encoding 请求头</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The body limit counts</source>
        <translation>大小上限计算的是</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>User-Agent request header</source>
        <translation>User-Agent 请求头</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Rule %1 of the protocol; the documentation is silent here, so this is an assumption you can change.</source>
        <translation>协议规则 %1；官方文档对此未作说明，这是一个可修改的假设。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>WeChat&apos;s public documentation leaves these open; the workbench assumes the defaults below. They are saved in the workspace file, so your team shares them.</source>
        <translation>微信公开文档未规定以下行为，工作台采用下列默认值。它们保存在工作区文件中，团队共享。</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>identity (the body travels as it is)</source>
        <translation>identity（响应体原样传输）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the decoded body (the cached string)</source>
        <translation>解码后的响应体（缓存的字符串）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the bytes received (before decoding)</source>
        <translation>收到的字节（解码前）</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>the workbench&apos;s own</source>
        <translation>工作台自己的</translation>
    </message>
    <message>
        <location line="-13"/>
        <source>milliseconds</source>
        <translation>毫秒</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>seconds</source>
        <translation>秒</translation>
    </message>
    <message>
        <location line="+23"/>
        <source> bytes</source>
        <translation> 字节</translation>
    </message>
    <message>
        <location line="+7"/>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <location line="+3"/>
        <source> days</source>
        <translation> 天</translation>
    </message>
    <message>
        <location line="+3"/>
        <source> h</source>
        <translation> 小时</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>never</source>
        <translation>永不</translation>
    </message>
</context>
<context>
    <name>TableLayout</name>
    <message>
        <location filename="../../workbench/ui/table_layout.py" line="+170"/>
        <source>Reset columns</source>
        <translation>重置列</translation>
    </message>
</context>
<context>
    <name>TaskRunner</name>
    <message>
        <location filename="../../workbench/workflows/tasks.py" line="+126"/>
        <source>%1 failed unexpectedly: %2</source>
        <extracomment>A task failed: its name and one sentence for the user. Writes that must finish even at shutdown (they are awaited, never cancelled).</extracomment>
        <translation>%1 意外失败：%2</translation>
    </message>
</context>
<context>
    <name>TimelineChart</name>
    <message>
        <location filename="../../workbench/ui/charts.py" line="+23"/>
        <source>time since launch (ms)</source>
        <translation>启动后经过的时间（毫秒）</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Simulate a cold start: its phases (code package download, pre-pull, onLaunch, the data&apos;s arrival) appear here on a millisecond timeline.</source>
        <translation>模拟一次冷启动：它的各个阶段（代码包下载、预拉取、onLaunch、数据到达）会以毫秒时间轴显示在这里。</translation>
    </message>
</context>
<context>
    <name>TimingBar</name>
    <message>
        <location filename="../../workbench/ui/response_view.py" line="-420"/>
        <source>connect</source>
        <extracomment>Shown at once, before the formatted body is ready: more than a window shows. Qt lays out what it is given on the UI thread at once; 64 KB on one line (a minified body) took 10-15 ms. A body bigger than this says &quot;Formatting…&quot; until its formatted text is shown; a smaller one is formatted in a few milliseconds (a note would only flicker). The text viewer shows at most this much; beyond it the view says so (the tree has it all). Verdict reasons that mean no complete answer came back: the headline names the failure, never a status (a stalled body still had a &quot;200 OK&quot; status line). The verdict&apos;s colours; greyed (like any disabled text) while the response shown is the previous one. The text viewer gets at most this much at a time, a turn of the event loop apart: handing Qt 2 MB at once took 150-300 ms on the UI thread. Documents up to this size are searched at once on the UI thread (a few ms); bigger ones in a worker thread, a short pause after the last key, a new key cancelling the search before. A text with a line longer than this is shown unwrapped (scrolled sideways): Qt lays out a wrapped line whole on every change, and a 2 MB one-line body (minified, or cut at the read limit) took over two minutes to show with the Body tab open; unwrapped, about half a second. While a big document is built, the collector&apos;s first threshold is this (no pass is due).</extracomment>
        <translation>连接</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>wait</source>
        <translation>等待</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>receive</source>
        <translation>接收</translation>
    </message>
</context>
<context>
    <name>TokenPanel</name>
    <message>
        <location filename="../../workbench/ui/cache_view.py" line="-689"/>
        <source>Show tokens</source>
        <extracomment>users with cache entries, shown after the mock server&apos;s users</extracomment>
        <translation>显示令牌</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>wx.getBackgroundFetchToken() per user and platform (P20)</source>
        <translation>各用户和平台的 wx.getBackgroundFetchToken() 结果 (P20)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>User</source>
        <translation>用户</translation>
    </message>
</context>
<context>
    <name>TokenSetter</name>
    <message>
        <location line="-107"/>
        <source>the token the Mini Program passes to wx.setBackgroundFetchToken</source>
        <extracomment>A token was stored: the user.</extracomment>
        <translation>小程序传给 wx.setBackgroundFetchToken 的 token</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Set token</source>
        <translation>设置 token</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Store this token for the user, as wx.setBackgroundFetchToken does (P5, P9): getBackgroundFetchToken then returns it (P20)</source>
        <translation>像 wx.setBackgroundFetchToken 那样为该用户保存此 token（P5、P9）：之后 getBackgroundFetchToken 会返回它（P20）</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Choose a user to see or set their token.</source>
        <translation>选择一个用户，查看或设置其 token。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 has no token: wx.getBackgroundFetchToken fails (P20), pre-pulls carry a login code (P4) and no periodic update is sent (P21). Next: set one here.</source>
        <translation>%1 没有 token：wx.getBackgroundFetchToken 失败（P20），预拉取携带登录 code（P4），且不会发送周期性更新（P21）。下一步：在此设置。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1&apos;s token is %2: getBackgroundFetchToken returns it (P20), pre-pulls and periodic updates carry it (P4, P21).</source>
        <translation>%1 的 token 为 %2：getBackgroundFetchToken 返回它（P20），预拉取和周期性更新都会携带它（P4、P21）。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Type the token first: an empty token is not stored.</source>
        <translation>请先输入 token：空 token 不会被保存。</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Token set for %1: the next pre-pull and periodic update carry it.</source>
        <translation>已为 %1 设置 token：下一次预拉取和周期性更新会携带它。</translation>
    </message>
</context>
<context>
    <name>TrafficView</name>
    <message>
        <location filename="../../workbench/ui/traffic_view.py" line="+127"/>
        <source>Use the mock server</source>
        <extracomment>A big preview is hashed by this thread and a second process at once, when there are two cores.</extracomment>
        <translation>使用模拟服务器</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>New rollout…</source>
        <translation>新的灰度发布…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Start over from 0% with a new rollout id (P26)</source>
        <translation>以新的灰度 ID 从 0% 重新开始（P26）</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Apply</source>
        <translation>应用</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>release</source>
        <translation>正式版</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+83"/>
        <source>trial</source>
        <translation>体验版</translation>
    </message>
    <message>
        <location line="-83"/>
        <location line="+81"/>
        <source>develop</source>
        <translation>开发版</translation>
    </message>
    <message>
        <location line="-69"/>
        <source>unlimited</source>
        <translation>不限</translation>
    </message>
    <message>
        <location line="+1"/>
        <source> /s</source>
        <translation> 次/秒</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Run cold starts</source>
        <translation>执行冷启动</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Export Locust file…</source>
        <translation>导出 Locust 文件…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Write these cold starts (users, rollout split, rate) as a Locust file for load from many machines; it holds tokens</source>
        <translation>把这些冷启动（用户、灰度分流、速率）写成 Locust 文件，用多台机器施压；文件中含有 token</translation>
    </message>
    <message>
        <location line="+202"/>
        <source>Requests per second</source>
        <translation>每秒请求数</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>main</source>
        <translation>主地址</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>gray</source>
        <translation>灰度</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>seconds since the start</source>
        <translation>开始后的秒数</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+6"/>
        <location line="+5"/>
        <source>requests</source>
        <translation>请求数</translation>
    </message>
    <message>
        <location line="-10"/>
        <source>Latency</source>
        <translation>耗时</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>latency (ms)</source>
        <translation>耗时（毫秒）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cached / not cached</source>
        <translation>已缓存 / 未缓存</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>cached</source>
        <translation>已缓存</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>not cached</source>
        <translation>未缓存</translation>
    </message>
    <message>
        <location line="-193"/>
        <source>Data download addresses</source>
        <translation>数据下载地址</translation>
    </message>
    <message>
        <location line="-15"/>
        <source>Run cold starts to see, live: requests per second to the main and gray addresses, their latency histogram, and how many responses were cached.</source>
        <translation>运行冷启动后，这里会实时显示：发往主地址和灰度地址的每秒请求数、它们的延迟分布，以及有多少响应被缓存。</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Main</source>
        <translation>主地址</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Gray</source>
        <translation>灰度</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Gray percentage</source>
        <translation>灰度比例</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Simulated users</source>
        <translation>模拟用户</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Users</source>
        <translation>用户数</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>with a token</source>
        <translation>带 token</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>on iOS</source>
        <translation>iOS 占比</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Count in the split:</source>
        <translation>计入分流：</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Cold starts</source>
        <translation>冷启动</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>rate</source>
        <translation>速率</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>in flight</source>
        <translation>并发</translation>
    </message>
    <message>
        <location line="+124"/>
        <source>Apply gray percentage</source>
        <extracomment>Asks the user to confirm a percentage (it cannot be lowered afterwards); tests replace it.</extracomment>
        <translation>应用灰度比例</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Apply %1% to rollout %2? WeChat does not let a rollout go back: afterwards the percentage cannot be lowered below %1% (P26), only raised or started over with a new rollout.</source>
        <translation>将灰度 %2 设为 %1%？微信不允许灰度回退：此后比例不能低于 %1%（P26），只能提高，或开始新的灰度。</translation>
    </message>
    <message>
        <location line="+62"/>
        <source>The mock server is not running: start it in the Mock server tab.</source>
        <translation>模拟服务器未运行：请在“模拟服务器”标签页启动它。</translation>
    </message>
    <message>
        <location line="+43"/>
        <location line="+20"/>
        <source>(no page path)</source>
        <translation>（无页面路径）</translation>
    </message>
    <message>
        <location line="-13"/>
        <source>Launches: %1</source>
        <translation>启动：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Launches: %1 kinds</source>
        <translation>启动：%1 种</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>… and %1 more</source>
        <translation>…… 另有 %1 种</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>How the simulated users launch the Mini Program (each user gets one launch by weight, the same every run, and the Locust export the same). Saved in the workspace file.</source>
        <translation>模拟用户打开小程序的方式（每个用户按权重分到一种启动方式，每次运行都相同，Locust 导出也相同）。保存在工作区文件中。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>query %1</source>
        <translation>query %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>scene %1</source>
        <translation>场景值 %1</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>no scene</source>
        <translation>无场景值</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>version %1</source>
        <translation>版本 %1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>active</source>
        <translation>进行中</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>promoted: gray is now main</source>
        <translation>已全量：灰度地址现为主地址</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rollout %1 · %2% applied · cannot go below %3% · %4</source>
        <translation>灰度 %1 · 已应用 %2% · 不可低于 %3% · %4</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Below the %1% already applied: Apply will be refused (P26).</source>
        <translation>低于已应用的 %1%：应用会被拒绝（P26）。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The gray address differs from rollout %1&apos;s (%2): use New rollout to start a rollout with it (P26).</source>
        <translation>灰度地址与灰度 %1 的地址（%2）不同：请用“新灰度”以该地址开始新的灰度（P26）。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The gray percentage cannot go back from %1% to %2% (P26): within a rollout it only goes up. Start a new rollout to begin again from 0%.</source>
        <translation>灰度比例不能从 %1% 回退到 %2%（P26）：同一灰度内只能提高。开始新的灰度可从 0% 重新开始。</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>100%: the gray address is now the main address (P27).</source>
        <translation>100%：灰度地址已成为主地址（P27）。</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Computing the split for %1 users…</source>
        <translation>正在计算 %1 个用户的分流…</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>main %1 (%2%) · gray %3 (%4%)</source>
        <translation>主地址 %1（%2%）· 灰度 %3（%4%）</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>, counting only %1 users</source>
        <translation>，只统计 %1 用户</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>no</source>
        <translation>无</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Preview: rollout %1 was promoted (P27), so all %2 simulated users (seed &quot;%3&quot;) get the main address%4.</source>
        <translation>预览：灰度 %1 已全量（P27），因此全部 %2 个模拟用户（种子“%3”）都使用主地址%4。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Preview: the applied %5% over all %2 simulated users (seed &quot;%3&quot;)%4.</source>
        <translation>预览：已应用的 %5% 作用于全部 %2 个模拟用户（种子“%3”）%4。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Preview: the slider&apos;s %6% (not applied) over all %2 simulated users (seed &quot;%3&quot;)%4. Runs use the applied %5% (the rollout&apos;s floor, P26) until you press Apply.</source>
        <translation>预览：滑块的 %6%（未应用）作用于全部 %2 个模拟用户（种子“%3”）%4。在点击“应用”之前，运行使用已应用的 %5%（本次灰度的下限，P26）。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A run of %1 users sends the first %1 of them.</source>
        <translation>一次 %1 个用户的运行会发送其中前 %1 个用户。</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>Cancelled after %1 cold starts; they are in the history.</source>
        <translation>已在 %1 次冷启动后取消；它们都在历史中。</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>%1 cold starts: main %2, gray %3; cached %4, not cached %5.</source>
        <translation>%1 次冷启动：主地址 %2，灰度 %3；已缓存 %4，未缓存 %5。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Users: the first %1 of %2 simulated users (seed &quot;%3&quot;). Percentage: the applied %4% of rollout %5, the floor in the workspace (P26), not the slider&apos;s position.</source>
        <translation>用户：%2 个模拟用户（种子“%3”）中的前 %1 个。比例：灰度 %5 已应用的 %4%，即工作区中的下限（P26），而不是滑块的位置。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source> The rollout was promoted: everyone used the gray address, now the main one (P27).</source>
        <translation> 该灰度已全量：所有人都使用了灰度地址，它现在是主地址（P27）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the run matches it</source>
        <translation>运行结果与之一致</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>the run differs from it</source>
        <translation>运行结果与之不同</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Expected for these %1 users at %2%: main %3, gray %4; %5 (P29).</source>
        <translation>这 %1 个用户在 %2% 下的预期：主地址 %3，灰度 %4；%5（P29）。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The slider&apos;s preview answers another question: %1% over all %2 users%3 gives main %4, gray %5.</source>
        <translation>滑块的预览回答的是另一个问题：%1% 作用于全部 %2 个用户%3，得到主地址 %4，灰度 %5。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Export Locust file</source>
        <translation>导出 Locust 文件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Python files (*.py)</source>
        <translation>Python 文件 (*.py)</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Wrote %1: %2 users, main %3, gray %4. It holds their tokens: keep it private.</source>
        <translation>已写入 %1：%2 个用户，主地址 %3，灰度 %4。文件中含有他们的 token：请妥善保管。</translation>
    </message>
</context>
<context>
    <name>TransferFlow</name>
    <message>
        <location filename="../../workbench/workflows/history.py" line="+111"/>
        <source>Exported %1 entries to %2</source>
        <extracomment>Entries made against the embedded mock server: replays go to its endpoint on today&apos;s port. (the replayed record, the new history id, the outcome) The entry cannot be sent as it is: (record, one sentence); the view offers the composer. One sentence for the status bar when a transfer finished. Entries were imported: how many.</extracomment>
        <translation>已导出 %1 条记录到 %2</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Cannot read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
    <message>
        <location line="+5"/>
        <source> (%1 non-GET entries skipped)</source>
        <translation>（跳过 %1 条非 GET 记录）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Imported %1 entries from %2</source>
        <translation>已从 %2 导入 %1 条记录</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Exported %1 cache entries to %2</source>
        <translation>已导出 %1 条缓存到 %2</translation>
    </message>
</context>
<context>
    <name>UsersEditor</name>
    <message>
        <location filename="../../workbench/ui/mock_view.py" line="-183"/>
        <source>Check tokens and codes; on failure answer with status</source>
        <translation>校验 token 和 code；失败时返回状态码</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Valid token</source>
        <translation>有效 token</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>openid</source>
        <translation>openid</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Show tokens</source>
        <translation>显示 token</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Add user</source>
        <translation>添加用户</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove user</source>
        <translation>删除用户</translation>
    </message>
</context>
<context>
    <name>WelcomeDialog</name>
    <message>
        <location filename="../../workbench/ui/welcome.py" line="+42"/>
        <source>Welcome to Prepull Workbench</source>
        <extracomment>QSettings keys (machine things, not the workspace&apos;s): the tour was shown on this machine; the user asked to see it at every start.</extracomment>
        <translation>欢迎使用预拉取工作台</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Prepull Workbench plays WeChat&apos;s part in data pre-pull on your machine: it sends the request a WeChat client would send, caches the answer by WeChat&apos;s rules, and shows what the Mini Program would read, or why it would read nothing.</source>
        <translation>预拉取工作台在你的电脑上扮演微信在数据预拉取中的角色：发送微信客户端会发送的请求，按微信的规则缓存响应，并显示小程序将读到的内容，或读不到任何内容的原因。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Compose a launch (page path, query, scene) and press Ctrl+Enter to send it. The answer says whether it was cached, and if not, why.</source>
        <translation>编排一次启动（页面路径、query、场景值），按 Ctrl+Enter 发送。结果会说明是否已缓存，若未缓存则说明原因。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A live developer server on this machine answers the pre-pulls by its rules; its log shows every request it got.</source>
        <translation>本机上一个实时运行的开发者服务器，按规则应答预拉取请求；它的日志列出收到的每个请求。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cold-start many simulated users under a gray-scale rollout and see where they went, how fast, and what was cached.</source>
        <translation>在灰度发布下让大量模拟用户冷启动，查看请求去向、速度以及哪些响应被缓存。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>What wx.getBackgroundFetchData returns: simulate a cold start, periodic updates on a simulated clock, and tokens.</source>
        <translation>wx.getBackgroundFetchData 返回的内容：模拟冷启动、模拟时钟上的周期性更新，以及 token。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Every pre-pull, searchable: replay one, compare two, export them as HAR.</source>
        <translation>每一次预拉取都可搜索：可重放、对比两条记录，或导出为 HAR。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Open the %1 tab (Ctrl+%2)</source>
        <translation>打开“%1”标签页（Ctrl+%2）</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>To begin: the demo workspace is wired to the built-in mock server, so Ctrl+Enter in the Composer shows a whole round trip. F1 lists every keyboard shortcut; Help › Welcome Tour opens this again.</source>
        <translation>开始使用：演示工作区已连接内置的模拟服务器，在“请求编排”中按 Ctrl+Enter 即可看到一次完整的往返。F1 列出所有键盘快捷键；“帮助 › 欢迎导览”可再次打开本窗口。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Show this at every start</source>
        <translation>每次启动时显示</translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <location filename="../../workbench/app.py" line="+238"/>
        <source>Prepull Workbench</source>
        <extracomment>The translators install_translators installed last (it replaces them when the language changes). The last one made (create_application makes one per application). QSettings key of the language the user chose in View › Language (a machine thing).</extracomment>
        <translation>预拉取工作台</translation>
    </message>
</context>
</TS>
